package dev.jmoq.transport.websocket;

import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle and keep-alive rules of a WebSocket connection, the same for every framing ({@code webtransport},
 * qmux-00, -01 and -02): a peer from which nothing arrived for the idle timeout is dropped, and a probe goes
 * out every third of it while we have sent nothing or heard nothing, so a quiet but live peer answers (and a
 * peer with an idle timer of its own hears from us).
 *
 * <p>It sits first in the pipeline, before TLS and the WebSocket decoder, so every byte read counts as life
 * (a large message trickling in, a pong, a TLS record) and every write counts as sent. What the probe is
 * belongs to the framing and is given by the connection: QX_PING on qmux-01 and -02 (their own keep-alive,
 * which the peer must answer), a WebSocket ping on qmux-00 and {@code webtransport} (which have none; browsers
 * and WebSocket libraries answer pings with pongs by themselves). TCP keep-alive on the socket is the floor
 * under this for a peer whose host vanished (see {@link WebSocketServer}).
 *
 * <p>Concurrency: one instance per channel; every method runs on the channel's event loop.
 */
final class Liveness extends ChannelDuplexHandler {
    private static final System.Logger LOG = System.getLogger(Liveness.class.getName());

    /** What the connection does for the rules: send its framing's probe, and drop itself. */
    interface Peer {
        /** Sends a probe the peer answers (QX_PING request, or a WebSocket ping). */
        void probe();

        /** Closes the connection: nothing arrived for {@code silentMillis}. */
        void expire(long silentMillis);
    }

    private final TransportStats stats;
    private long timeoutMillis;
    private long lastReadNanos = System.nanoTime();
    private long lastWriteNanos = System.nanoTime();
    private long lastProbeNanos = System.nanoTime();
    private Peer peer;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> tick;
    private boolean stopped;

    /**
     * @param timeoutMillis our idle timeout; 0 for none (unless the peer announces one, see {@link #narrow})
     * @param stats         where probes and drops are counted; null counts nothing
     */
    Liveness(long timeoutMillis, TransportStats stats) {
        this.timeoutMillis = Math.max(0, timeoutMillis);
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts the rules for {@code peer}; call once on the loop when the connection is established. */
    void start(Peer peer) {
        this.peer = peer;
        schedule();
    }

    /**
     * The peer announced an idle timeout of its own (qmux-01/02 {@code max_idle_timeout}): the connection's
     * timeout is the smaller non-zero of both, and our probes keep the peer's timer from firing.
     */
    void narrow(long peerTimeoutMillis) {
        if (peerTimeoutMillis <= 0 || (timeoutMillis != 0 && peerTimeoutMillis >= timeoutMillis)) {
            return;
        }
        timeoutMillis = peerTimeoutMillis;
        schedule();
    }

    /** The effective idle timeout, milliseconds; 0 when none applies. */
    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Stops the rules (the connection is closing). */
    void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    private void schedule() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
        if (stopped || peer == null || timeoutMillis == 0 || ctx == null) {
            return;
        }
        long every = Math.max(20, timeoutMillis / 6);
        tick = ctx.executor().scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long silent = TimeUnit.NANOSECONDS.toMillis(now - lastReadNanos);
        if (silent >= timeoutMillis) {
            stop();
            if (stats != null) {
                stats.idleTimedOut(TransportKind.WEBSOCKET);
            }
            LOG.log(System.Logger.Level.INFO, "event=idle_timeout transport=websocket remote={0} silent_ms={1}",
                    ctx.channel().remoteAddress(), silent);
            peer.expire(silent);
            return;
        }
        long third = TimeUnit.MILLISECONDS.toNanos(timeoutMillis) / 3;
        boolean quiet = now - lastWriteNanos >= third || now - lastReadNanos >= third;
        if (quiet && now - lastProbeNanos >= third) {
            lastProbeNanos = now;
            peer.probe();
            if (stats != null) {
                stats.keepAliveSent(TransportKind.WEBSOCKET);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastWriteNanos = System.nanoTime();
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }
}
