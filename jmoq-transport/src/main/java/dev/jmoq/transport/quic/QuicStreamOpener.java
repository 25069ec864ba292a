package dev.jmoq.transport.quic;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Opens a QUIC connection's streams within the peer's stream credit (RFC 9000, section 4.6, MAX_STREAMS),
 * queueing requests while the credit is used up and serving them, in order, when the peer raises it.
 *
 * <p>Why: Netty's QUIC codec takes a stream id before asking quiche to open the stream, and when quiche
 * refuses it (STREAM_LIMIT) the id is lost. Every refused attempt moves the next id further past the
 * peer's limit, so a sender that keeps trying never opens a stream again, even after the peer's credit
 * returns. This opener only asks when {@link QuicChannel#peerAllowedStreams} says a stream is available,
 * and waits for {@link QuicStreamLimitChangedEvent} otherwise. A request whose promise was cancelled while
 * it waited is skipped, so a caller that withdraws it costs the peer no stream.
 *
 * <p>Installed on a connection the first time a request must wait, as the first handler of its pipeline
 * (it passes every event on). Threading: the connection's event loop.
 */
final class QuicStreamOpener extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<QuicStreamOpener> KEY = AttributeKey.valueOf("jmoq.quic.stream-opener");

    private final QuicChannel channel;
    private final ArrayDeque<Request> bidi = new ArrayDeque<>();
    private final ArrayDeque<Request> uni = new ArrayDeque<>();

    private record Request(ChannelHandler handler, Promise<QuicStreamChannel> promise) {
    }

    private QuicStreamOpener(QuicChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens a stream of {@code type} on {@code channel} at once when the peer's credit allows and nothing
     * waits before it, otherwise queues it (installing the opener on first need). Must run on the
     * channel's event loop.
     */
    static void open(QuicChannel channel, QuicStreamType type, ChannelHandler handler,
            Promise<QuicStreamChannel> promise) {
        QuicStreamOpener opener = channel.attr(KEY).get();
        if ((opener == null || opener.waiting(type) == 0) && channel.peerAllowedStreams(type) > 0) {
            if (promise.setUncancellable()) {
                create(channel, type, handler, promise);
            }
            return;
        }
        of(channel).open(type, handler, promise);
    }

    private static void create(QuicChannel channel, QuicStreamType type, ChannelHandler handler,
            Promise<QuicStreamChannel> promise) {
        channel.createStream(type, handler).addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess((QuicStreamChannel) f.getNow());
            } else {
                promise.tryFailure(f.cause());
            }
        });
    }

    /** The opener of {@code channel}, installed on first use. Must run on the channel's event loop. */
    static QuicStreamOpener of(QuicChannel channel) {
        QuicStreamOpener opener = channel.attr(KEY).get();
        if (opener == null) {
            opener = new QuicStreamOpener(channel);
            channel.attr(KEY).set(opener);
            channel.pipeline().addFirst(opener);
            QuicStreamOpener installed = opener;
            channel.closeFuture().addListener(f -> installed.failAll());
        }
        return opener;
    }

    /**
     * Opens a stream of {@code type} with {@code handler} in its pipeline as soon as the peer's credit
     * allows; completes {@code promise} with it (or fails it when the connection closes first).
     */
    void open(QuicStreamType type, ChannelHandler handler, Promise<QuicStreamChannel> promise) {
        ArrayDeque<Request> queue = type == QuicStreamType.BIDIRECTIONAL ? bidi : uni;
        queue.addLast(new Request(handler, promise));
        serve(type, queue);
    }

    /** Requests waiting for credit (for tests and metrics). */
    int waiting(QuicStreamType type) {
        return (type == QuicStreamType.BIDIRECTIONAL ? bidi : uni).size();
    }

    private void serve(QuicStreamType type, ArrayDeque<Request> queue) {
        while (!queue.isEmpty()) {
            if (!channel.isActive()) {
                failAll();
                return;
            }
            if (channel.peerAllowedStreams(type) <= 0) {
                return; // wait for QuicStreamLimitChangedEvent
            }
            Request r = queue.pollFirst();
            if (!r.promise().setUncancellable()) {
                continue; // withdrawn while it waited
            }
            create(channel, type, r.handler(), r.promise());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof QuicStreamLimitChangedEvent) {
            serve(QuicStreamType.BIDIRECTIONAL, bidi);
            serve(QuicStreamType.UNIDIRECTIONAL, uni);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void failAll() {
        ClosedChannelException closed = new ClosedChannelException();
        for (ArrayDeque<Request> q : java.util.List.of(bidi, uni)) {
            Request r;
            while ((r = q.pollFirst()) != null) {
                r.promise().tryFailure(closed);
            }
        }
    }
}
