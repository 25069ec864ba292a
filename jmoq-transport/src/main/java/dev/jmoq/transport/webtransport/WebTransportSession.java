package dev.jmoq.transport.webtransport;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.quic.QuicDatagrams;
import dev.jmoq.transport.quic.QuicStream;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One WebTransport session as a {@link MoqConnection}: its streams are the QUIC streams prefixed with its
 * session id (the CONNECT stream's id); closing it sends CLOSE_WEBTRANSPORT_SESSION on the CONNECT stream,
 * then ends the QUIC connection (one session per connection).
 *
 * <p>Threading: the QUIC connection's event loop. Streams the peer opens before the handler is set are
 * queued and delivered in order.
 */
final class WebTransportSession implements MoqConnection {
    private static final System.Logger LOG = System.getLogger("jmoq.webtransport");

    private final H3Connection h3;
    private final QuicStreamChannel connect;
    private final String path;
    private final String origin;
    private final String protocol;
    private ConnectionHandler handler;
    private List<QuicStream> queued = new ArrayList<>();
    private boolean closed;
    private long closeCode = -1;
    private String closeReason = "";

    WebTransportSession(H3Connection h3, QuicStreamChannel connect, String path, String origin, String protocol) {
        this.h3 = h3;
        this.connect = connect;
        this.path = path;
        this.origin = origin;
        this.protocol = protocol;
        h3.channel().closeFuture().addListener(f -> finish());
    }

    long sessionId() {
        return connect.streamId();
    }

    /** The QUIC connection carrying this session (one session per connection). */
    io.netty.handler.codec.quic.QuicChannel h3Channel() {
        return h3.channel();
    }

    @Override
    public TransportKind kind() {
        return TransportKind.WEBTRANSPORT;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public SocketAddress remoteAddress() {
        return h3.channel().remoteSocketAddress();
    }

    @Override
    public EventLoop eventLoop() {
        return h3.channel().eventLoop();
    }

    @Override
    public void setHandler(ConnectionHandler handler) {
        this.handler = handler;
        List<QuicStream> q = queued;
        queued = null;
        for (QuicStream s : q) {
            deliver(s);
        }
        if (closed) {
            handler.onClosed(closeCode, closeReason);
        }
    }

    void onPeerStream(QuicStream stream) {
        if (closed) {
            stream.abandon();
            return;
        }
        stream.countIn(h3.stats(), TransportKind.WEBTRANSPORT);
        if (handler == null) {
            queued.add(stream);
        } else {
            deliver(stream);
        }
    }

    /** The payload of one of this session's HTTP/3 datagrams, prefix removed; ownership passes here. */
    void onDatagram(ByteBuf payload) {
        if (closed || handler == null) {
            payload.release();
        } else {
            handler.onDatagram(payload);
        }
    }

    @Override
    public int maxDatagramSize() {
        if (closed) {
            return 0;
        }
        return Math.max(0, QuicDatagrams.maxPayload(h3.channel()) - VarInt.size(sessionId() / 4));
    }

    /** Sends an HTTP/3 datagram: the Quarter Stream ID of the CONNECT stream, then the payload (RFC 9297 section 2.1). */
    @Override
    public boolean sendDatagram(ByteBuf payload) {
        int size = payload.readableBytes();
        if (size == 0 || size > maxDatagramSize()) {
            payload.release();
            return false;
        }
        ByteBuf datagram = h3.channel().alloc().directBuffer(8 + size);
        VarInt.write(datagram, sessionId() / 4);
        datagram.writeBytes(payload);
        payload.release();
        QuicDatagrams.send(h3.channel(), datagram);
        return true;
    }

    private void deliver(QuicStream s) {
        if (s.channel().type() == QuicStreamType.BIDIRECTIONAL) {
            handler.onBidiStream(s);
        } else {
            handler.onUniStream((RecvStream) s);
        }
    }

    @Override
    public Future<BidiStream> openBidi() {
        return open(QuicStreamType.BIDIRECTIONAL, H3.SIGNAL_WT_BIDI);
    }

    @Override
    public Future<SendStream> openUni() {
        return open(QuicStreamType.UNIDIRECTIONAL, H3.STREAM_WT_UNI);
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> open(QuicStreamType type, long prefix) {
        Promise<T> result = eventLoop().newPromise();
        Future<QuicStream> opening = QuicStream.open(h3.channel(), type);
        result.addListener(f -> {
            if (f.isCancelled()) {
                opening.cancel(false); // withdrawn while waiting for the peer's stream credit
            }
        });
        opening.addListener(f -> {
            if (!f.isSuccess()) {
                result.tryFailure(f.cause());
                return;
            }
            QuicStream s = (QuicStream) f.getNow();
            if (result.isCancelled()) {
                s.abandon(); // cancelled while opening: never used, not even announced to the peer
                return;
            }
            s.countIn(h3.stats(), TransportKind.WEBTRANSPORT);
            ByteBuf header = s.channel().alloc().buffer(16);
            VarInt.write(header, prefix);
            VarInt.write(header, sessionId());
            s.write(header);
            if (!result.trySuccess((T) s)) {
                s.abandon();
            }
        });
        return result;
    }

    @Override
    public void close(long code, String reason) {
        if (!eventLoop().inEventLoop()) {
            eventLoop().execute(() -> close(code, reason));
            return;
        }
        if (closed) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(r.length, 1024);
        ByteBuf capsule = connect.alloc().buffer(16 + len);
        VarInt.write(capsule, H3.CAPSULE_CLOSE_WEBTRANSPORT_SESSION);
        VarInt.write(capsule, 4 + len);
        capsule.writeInt((int) code);
        capsule.writeBytes(r, 0, len);
        if (connect.isActive()) {
            connect.writeAndFlush(new DefaultQuicStreamFrame(capsule, true));
        } else {
            capsule.release();
        }
        // One session per connection: end the connection once the capsule had a moment to leave.
        eventLoop().schedule(() -> h3.channel().close(true, 0, connect.alloc().buffer(0)), 50, TimeUnit.MILLISECONDS);
        finish();
    }

    /** The peer closed the session (capsule or end of the CONNECT stream). */
    void peerClosed(long code, String reason) {
        if (closed) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        LOG.log(System.Logger.Level.DEBUG, () -> "event=wt_session_closed_by_peer code=" + code + " reason=\"" + reason + "\"");
        h3.channel().close(true, 0, connect.alloc().buffer(0));
        finish();
    }

    private void finish() {
        if (closed) {
            return;
        }
        closed = true;
        h3.removeSession(this);
        if (handler != null) {
            handler.onClosed(closeCode, closeReason);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && h3.channel().isActive();
    }

    @Override
    public Future<?> closeFuture() {
        return h3.channel().closeFuture();
    }
}
