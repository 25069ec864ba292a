package dev.jmoq.transport.quic;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw QUIC connection as a {@link MoqConnection}. Installed as the QUIC channel's handler; the
 * channel's stream initializer hands peer-opened streams to {@link #onPeerStream}.
 *
 * <p>Threading: the QUIC channel's event loop. Streams the peer opens before the handler is set are
 * queued and delivered, in order, when it is.
 */
public final class QuicMoqConnection extends ChannelInboundHandlerAdapter implements MoqConnection {
    static final AttributeKey<QuicMoqConnection> KEY = AttributeKey.valueOf("jmoq.quic.connection");

    private final QuicChannel channel;
    private final String protocol;
    private final TransportStats stats;
    private ConnectionHandler handler;
    private List<Object> queued = new ArrayList<>();
    private long closeCode = -1;
    private String closeReason = "";
    private boolean closedNotified;

    /**
     * @param stats where keep-alives and open streams are counted; null counts nothing
     */
    QuicMoqConnection(QuicChannel channel, String protocol, long idleTimeoutMillis, TransportStats stats) {
        this.channel = channel;
        this.protocol = protocol == null ? "" : protocol;
        this.stats = stats;
        channel.attr(KEY).set(this);
        // The keep-alive is a one-byte DATAGRAM (QuicDatagrams.isKeepAlive); a peer that did not offer datagrams
        // gets nothing (the write fails quietly) and keeps its own timers.
        QuicKeepAlive.start(channel, idleTimeoutMillis, TransportKind.QUIC, stats, this::keepAlive);
        channel.closeFuture().addListener(f -> notifyClosed());
    }

    /** See {@link QuicKeepAlive#periodMillis}. */
    static long keepAliveMillis(long idleTimeoutMillis) {
        return QuicKeepAlive.periodMillis(idleTimeoutMillis);
    }

    private static final byte[] KEEP_ALIVE = {0};

    /** A DATAGRAM from the peer: the keep-alive is dropped, anything else goes to the handler (which owns it). */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf datagram) {
            if (handler == null || QuicDatagrams.isKeepAlive(datagram)) {
                datagram.release();
            } else {
                handler.onDatagram(datagram);
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public int maxDatagramSize() {
        return QuicDatagrams.maxPayload(channel);
    }

    @Override
    public boolean sendDatagram(ByteBuf payload) {
        int size = payload.readableBytes();
        if (size == 0 || size > maxDatagramSize()) {
            payload.release();
            return false;
        }
        QuicDatagrams.send(channel, payload);
        return true;
    }

    private void keepAlive() {
        if (channel.isActive()) {
            channel.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(KEEP_ALIVE));
        }
    }

    /** The connection of {@code stream}'s parent, or null when it is not a raw MoQ connection. */
    static QuicMoqConnection of(QuicStreamChannel stream) {
        return stream.parent().attr(KEY).get();
    }

    @Override
    public TransportKind kind() {
        return TransportKind.QUIC;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String path() {
        return "/";
    }

    @Override
    public String origin() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteSocketAddress();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    QuicChannel channel() {
        return channel;
    }

    @Override
    public void setHandler(ConnectionHandler handler) {
        this.handler = handler;
        List<Object> q = queued;
        queued = null;
        for (Object s : q) {
            deliver(s);
        }
        if (!channel.isActive()) {
            notifyClosed();
        }
    }

    /** A stream the peer opened: wrap it, install it in its pipeline, and deliver it. */
    void onPeerStream(QuicStreamChannel ch) {
        configure(ch);
        QuicStream stream = new QuicStream(ch).countIn(stats, TransportKind.QUIC);
        ch.pipeline().addLast(stream);
        if (handler == null) {
            queued.add(stream);
        } else {
            deliver(stream);
        }
    }

    private void deliver(Object s) {
        QuicStream stream = (QuicStream) s;
        if (stream.channel().type() == QuicStreamType.BIDIRECTIONAL) {
            handler.onBidiStream(stream);
        } else {
            handler.onUniStream((RecvStream) stream);
        }
    }

    @Override
    public Future<BidiStream> openBidi() {
        return open(QuicStreamType.BIDIRECTIONAL);
    }

    @Override
    public Future<SendStream> openUni() {
        return open(QuicStreamType.UNIDIRECTIONAL);
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> open(QuicStreamType type) {
        // QuicStream.open waits for the peer's stream credit; cancelling this future withdraws the request,
        // and a stream that opened for a cancelled request is reset unused.
        Future<QuicStream> opening = QuicStream.open(channel, type);
        opening.addListener(f -> {
            if (f.isSuccess()) {
                ((QuicStream) f.getNow()).countIn(stats, TransportKind.QUIC);
            }
        });
        return (Future<T>) (Future<?>) opening;
    }

    @Override
    public void close(long code, String reason) {
        if (!channel.isActive()) {
            return;
        }
        if (closeCode < 0) {
            closeCode = code;
            closeReason = reason;
        }
        channel.close(true, (int) code, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public Future<?> closeFuture() {
        return channel.closeFuture();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicConnectionCloseEvent close && closeCode < 0) {
            closeCode = close.isApplicationClose() ? close.error() : -1;
            closeReason = new String(close.reason(), StandardCharsets.UTF_8);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection errors close the channel; the close event reports them.
    }

    private void notifyClosed() {
        if (closedNotified || handler == null) {
            return;
        }
        closedNotified = true;
        handler.onClosed(closeCode, closeReason);
    }

    /** FIN is read as a flag on the last frame (reliable for both stream types), and never closes the channel early. */
    public static void configure(QuicStreamChannel ch) {
        if (ch.type() == QuicStreamType.BIDIRECTIONAL) {
            ch.config().setAllowHalfClosure(true); // unidirectional streams are half-closed by nature
        }
        ch.config().setReadFrames(true);
    }
}
