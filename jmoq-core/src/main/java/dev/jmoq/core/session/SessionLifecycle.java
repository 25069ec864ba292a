package dev.jmoq.core.session;

import dev.jmoq.wire.ProtocolException;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What every protocol family's session does the same way in its life: ends at its token's expiry, and
 * logs its end and the protocol errors of its peer in one format ({@code jmoq.session}:
 * {@code event=session_closed}, {@code event=protocol_error}), whatever the family.
 */
public final class SessionLifecycle {
    public static final System.Logger LOG = System.getLogger("jmoq.session");

    private SessionLifecycle() {
    }

    /**
     * Runs {@code expire} on {@code loop} when {@code grant}'s token expires (nothing when it never does).
     *
     * @return false when it has already expired: {@code expire} ran now
     */
    public static boolean armExpiry(Grant grant, EventLoop loop, Runnable expire) {
        if (grant.expires() == null) {
            return true;
        }
        long millis = Duration.between(Instant.now(), grant.expires()).toMillis();
        if (millis <= 0) {
            expire.run();
            return false;
        }
        loop.schedule(expire, millis, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Logs a session's end: the code it ended with (-1: the connection closed) and why. */
    public static void logClosed(long code, String reason, SocketAddress remote) {
        LOG.log(System.Logger.Level.INFO, () -> "event=session_closed code=" + code + " reason=\"" + reason
                + "\" remote=" + remote);
    }

    /** Counts and logs a protocol error of the peer; the caller decides what it ends (stream or session). */
    public static void protocolError(SessionStats stats, String where, ProtocolException e, SocketAddress remote) {
        stats.protocolErrors.increment();
        LOG.log(System.Logger.Level.INFO, "event=protocol_error stream=" + where + " code=" + e.code()
                + " fatal=" + e.sessionFatal() + " reason=\"" + e.getMessage() + "\" remote=" + remote);
    }
}
