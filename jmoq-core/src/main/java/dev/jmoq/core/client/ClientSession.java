package dev.jmoq.core.client;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.transport.TransportKind;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * An established client session: publish broadcasts, discover the relay's, subscribe to tracks.
 * Thread-safe: calls hop onto the connection's event loop.
 */
public final class ClientSession implements AutoCloseable {
    private final Session session;
    private final Origin local;
    private final SessionConfig config;

    ClientSession(Session session, Origin local, SessionConfig config) {
        this.session = session;
        this.local = local;
        this.config = config;
    }

    /** The negotiated protocol, e.g. {@code moq-lite-04}. */
    public String version() {
        return session.protocol();
    }

    public TransportKind transport() {
        return session.connection().kind();
    }

    /**
     * Publishes a broadcast at {@code path} (relative to the connection's path). Create its tracks with
     * {@link Broadcast#createTrack} and fill them; close the broadcast to end it.
     */
    public Broadcast publish(String path) {
        Broadcast b = new Broadcast(path, config.cache());
        local.announce(b);
        return b;
    }

    /**
     * Publishes one track of the broadcast at {@code path} without announcing the broadcast: IETF
     * moq-transport's publisher-initiated PUBLISH (drafts 14-20). Fill the returned track as with
     * {@link #publish}; closing it ends the publication (PUBLISH_DONE). The future completes once the relay
     * accepted it (PUBLISH_OK / REQUEST_OK), exceptionally if it refused it or the protocol has no PUBLISH
     * (moq-lite: {@link UnsupportedOperationException}).
     */
    public CompletableFuture<Track> publishTrack(String path, String name) {
        Broadcast b = new Broadcast(path, config.cache());
        Track t = b.createTrack(name);
        CompletableFuture<Track> result = new CompletableFuture<>();
        session.connection().eventLoop().execute(() -> session.publishTrack(path, t).whenComplete((ok, err) -> {
            if (err != null) {
                b.close();
                result.completeExceptionally(err);
            } else {
                result.complete(t);
            }
        }));
        return result;
    }

    /**
     * Asks the relay for broadcasts under {@code prefix}; {@code listener} hears (path relative to the
     * prefix, active) for each announcement, on the connection's event loop.
     */
    public void announced(String prefix, BiConsumer<String, Boolean> listener) {
        session.connection().eventLoop().execute(
                () -> session.announced(prefix, listener));
    }

    /**
     * Subscribes to {@code track} of the broadcast at {@code path}. The returned track fills as groups
     * arrive and ends when the publisher ends it; read it with a {@link TrackReader}.
     */
    public Track subscribe(String path, String track) {
        Track t = new Track(track, null, config.cache());
        session.connection().eventLoop().execute(() -> session.subscribe(path, t));
        return t;
    }

    /** Completes with the redirect URI (empty for none) when the relay says it is going away (GOAWAY). */
    public CompletableFuture<String> goaway() {
        return session.goawayReceived();
    }

    /** Completes when the session closes. */
    public CompletableFuture<Long> closed() {
        return session.closed();
    }

    /** The event loop the session runs on (all model calls for its tracks belong there). */
    public io.netty.channel.EventLoop executor() {
        return session.connection().eventLoop();
    }

    /** Ends the broadcasts this session published (subscribers see them end cleanly), then the session. */
    @Override
    public void close() {
        for (Broadcast b : local.list("")) {
            b.close();
        }
        session.close(SessionError.NO_ERROR, "client closed");
    }

    /**
     * Drops the connection at once, as a crashed or disconnected publisher would: nothing more is sent,
     * so the relay ends this session's broadcasts with an error for their subscribers. Local state is
     * freed afterwards.
     */
    public void abandon() {
        session.connection().close(0, "abandoned");
        session.connection().closeFuture().addListener(f -> {
            for (Broadcast b : local.list("")) {
                b.close(0);
            }
        });
    }
}
