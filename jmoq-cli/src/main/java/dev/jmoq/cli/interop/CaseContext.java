package dev.jmoq.cli.interop;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Track;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One case's run: its connections (by role), its deadline (the case's timeout from its start) and the
 * diagnostics it reports. Every wait is bounded by the deadline. Not thread-safe: the case's thread.
 */
public final class CaseContext implements AutoCloseable {
    /** How long a graceful close may take before the connection is left to the client's shutdown. */
    private static final long CLOSE_MILLIS = 1_000;

    private final MoqClient client;
    private final URI relay;
    private final long deadlineNanos;
    private final List<ClientSession> sessions = new ArrayList<>();
    private final Map<String, String> diagnostics = new LinkedHashMap<>();

    CaseContext(MoqClient client, URI relay, long timeoutMillis) {
        this.client = client;
        this.relay = relay;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Connects and completes SETUP for {@code role} (e.g. {@code publisher}); its protocol goes to the diagnostics. */
    public ClientSession connect(String role) throws CaseFailure {
        ClientSession s = await(client.connect(relay), role.isEmpty() ? "SETUP" : role + " SETUP");
        sessions.add(s);
        diagnostics.put(role.isEmpty() ? "protocol" : role + "_protocol", s.version());
        return s;
    }

    /** The value of {@code future} within the case's deadline; a timeout or an error fails the case. */
    public <T> T await(CompletableFuture<T> future, String what) throws CaseFailure {
        long left = deadlineNanos - System.nanoTime();
        try {
            return future.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new CaseFailure(what, "timeout");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new CaseFailure(what, c.getClass().getSimpleName() + ": " + c.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaseFailure(what, "interrupted");
        }
    }

    /** Waits {@code millis} (bounded by the deadline): the spec's fixed delays between the roles. */
    public void pause(long millis) throws CaseFailure {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        try {
            Thread.sleep(Math.max(0, Math.min(millis, left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaseFailure("delay", "interrupted");
        }
    }

    /**
     * Completes once {@code track} (a track of ours) has a subscriber, i.e. the relay routed a SUBSCRIBE
     * to us and we answered it with SUBSCRIBE_OK. Polled on {@code session}'s event loop every 10 ms
     * until the case's deadline.
     */
    public CompletableFuture<Void> subscribed(ClientSession session, Track track) {
        return until(session, () -> track.subscriberCount() > 0);
    }

    /**
     * Completes once {@code track} (a track of ours) has no subscriber left: after the track closed, its
     * last group went out and PUBLISH_DONE was sent. Polled as {@link #subscribed}.
     */
    public CompletableFuture<Void> drained(ClientSession session, Track track) {
        return until(session, () -> track.subscriberCount() == 0);
    }

    private CompletableFuture<Void> until(ClientSession session, java.util.function.BooleanSupplier condition) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            if (condition.getAsBoolean()) {
                f.complete(null);
            } else if (System.nanoTime() < deadlineNanos && !f.isDone()) {
                session.executor().schedule(poll[0], 10, TimeUnit.MILLISECONDS);
            }
        };
        session.executor().execute(poll[0]);
        return f;
    }

    /** Adds a YAML diagnostic line ({@code key: value}) to the case's report. */
    public void note(String key, Object value) {
        diagnostics.put(key, String.valueOf(value));
    }

    Map<String, String> diagnostics() {
        return diagnostics;
    }

    /**
     * Closes {@code session} gracefully (its broadcasts end first) and waits, bounded, for the close;
     * a close that does not finish within a second fails the case.
     */
    public void close(ClientSession session) throws CaseFailure {
        sessions.remove(session);
        session.close();
        try {
            session.closed().get(CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CaseFailure("connection closed", "close not finished after " + CLOSE_MILLIS + " ms");
        } catch (ExecutionException e) {
            // A session that closed with an error still closed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes what the case left open (after a failure), without waiting. */
    @Override
    public void close() {
        for (ClientSession s : List.copyOf(sessions)) {
            s.close();
        }
        sessions.clear();
    }
}
