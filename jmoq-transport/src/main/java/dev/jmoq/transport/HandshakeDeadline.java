package dev.jmoq.transport;

import dev.jmoq.transport.TransportStats.HandshakeStage;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bound on one handshake stage of one connection: armed when the stage begins, disarmed when it
 * finishes; if it fires first, the stage is counted in {@link TransportStats#handshakeTimedOut}, one log
 * line is written ({@code event=handshake_timeout stage=... remote=... timeout_ms=...}) and the connection is
 * closed by the given action. A connection that never finishes its handshake therefore costs the relay a
 * file descriptor for at most the handshake timeout.
 *
 * <p>Thread-safe: {@link #disarm} may be called from any thread; the expiry runs on the given executor
 * (the connection's event loop) and at most once, and never after a successful {@link #disarm}.
 */
public final class HandshakeDeadline {
    private static final System.Logger LOG = System.getLogger("jmoq.transport.handshake");

    private final AtomicBoolean settled = new AtomicBoolean();
    private final ScheduledFuture<?> timer;

    private HandshakeDeadline(EventExecutor loop, long millis, HandshakeStage stage, TransportStats stats,
            SocketAddress remote, Runnable close) {
        if (millis <= 0) {
            settled.set(true);
            timer = null;
            return;
        }
        timer = loop.schedule(() -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            stats.handshakeTimedOut(stage);
            LOG.log(System.Logger.Level.INFO, "event=handshake_timeout stage=" + stage.label() + " remote=" + remote
                    + " timeout_ms=" + millis);
            close.run();
        }, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Arms a deadline of {@code millis} (0 or less: none) for {@code stage}; {@code close} runs on {@code loop}
     * if the stage has not finished by then.
     */
    public static HandshakeDeadline arm(EventExecutor loop, long millis, HandshakeStage stage, TransportStats stats,
            SocketAddress remote, Runnable close) {
        return new HandshakeDeadline(loop, millis, stage, stats, remote, close);
    }

    /** The stage finished (or the connection ended): the deadline will not fire. True when it had not fired yet. */
    public boolean disarm() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        return true;
    }
}
