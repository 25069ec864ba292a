package dev.jmoq.transport.quic;

import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive of QUIC connections (raw QUIC and WebTransport): quiche closes a connection that saw no
 * packet for its idle timeout, and Netty's quiche binding exposes no PING frame, so a quiet connection (a
 * publisher nobody watches yet, a viewer of a paused track) sends a small ack-eliciting packet of its own
 * every third of its idle timeout (at most every 10 s). Both ends then see traffic and the connection
 * stays open; a peer that vanished stops acknowledging and is still dropped after the idle timeout.
 *
 * <p>What the packet carries is the transport's choice: a one-byte DATAGRAM on raw QUIC (MoQ peers ignore
 * datagrams there), a reserved HTTP/3 frame on the control stream on WebTransport (RFC 9114 section 7.2.8:
 * receivers ignore it, and it needs no datagram support from the peer).
 */
public final class QuicKeepAlive {
    private QuicKeepAlive() {
    }

    /** The keep-alive period for an idle timeout of {@code idleTimeoutMillis}: a third, 100 ms to 10 s. */
    public static long periodMillis(long idleTimeoutMillis) {
        return idleTimeoutMillis <= 0 ? 10_000 : Math.max(100, Math.min(10_000, idleTimeoutMillis / 3));
    }

    /**
     * Runs {@code send} every {@link #periodMillis} on {@code channel}'s loop while it is active, counting each
     * in {@code stats} (null: not counted) under {@code kind}; stops when the channel closes.
     */
    public static void start(QuicChannel channel, long idleTimeoutMillis, TransportKind kind, TransportStats stats,
            Runnable send) {
        long every = periodMillis(idleTimeoutMillis);
        ScheduledFuture<?> timer = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (channel.isActive()) {
                send.run();
                if (stats != null) {
                    stats.keepAliveSent(kind);
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> timer.cancel(false));
    }
}
