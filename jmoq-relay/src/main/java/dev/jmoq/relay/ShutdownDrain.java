package dev.jmoq.relay;

import dev.jmoq.core.session.SessionError;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The end of the relay's sessions at shutdown: GOAWAY (with the configured redirect URI) to every
 * session, up to the grace period for them to leave by themselves, then a close with
 * {@link SessionError#SHUTDOWN} for those left, so peers learn at once rather than at their idle timeout.
 *
 * <p>Threading: runs on the thread that shuts the relay down; it blocks for at most the grace period
 * plus 100 ms, and less when {@code hurry} turns true (a second shutdown request).
 */
final class ShutdownDrain {
    private static final System.Logger LOG = System.getLogger("jmoq.relay");

    private final SessionRegistry sessions;
    private final String goawayUri;
    private final BooleanSupplier hurry;

    /** @param goawayUri where GOAWAY sends peers; empty for anywhere */
    ShutdownDrain(SessionRegistry sessions, String goawayUri, BooleanSupplier hurry) {
        this.sessions = sessions;
        this.goawayUri = goawayUri;
        this.hurry = hurry;
    }

    /** Drains for up to {@code grace}, then closes every session left. */
    void run(Duration grace) {
        drain(grace);
        sessions.closeAll(SessionError.SHUTDOWN, "relay shutting down");
        if (!sessions.isEmpty()) {
            try {
                Thread.sleep(100); // let the CONNECTION_CLOSE frames leave before the sockets do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void drain(Duration grace) {
        if (grace.isZero() || sessions.isEmpty()) {
            return;
        }
        sessions.goawayAll(goawayUri);
        LOG.log(System.Logger.Level.INFO, "event=relay_draining sessions=" + sessions.size() + " grace_ms=" + grace.toMillis());
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sessions.isEmpty() && !hurry.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
