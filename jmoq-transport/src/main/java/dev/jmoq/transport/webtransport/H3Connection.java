package dev.jmoq.transport.webtransport;

import dev.jmoq.transport.HandshakeDeadline;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.TransportStats.HandshakeStage;
import dev.jmoq.transport.quic.QuicKeepAlive;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import dev.jmoq.transport.quic.QuicStream;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/3 state of one QUIC connection: our control stream (which also carries the keep-alive), its
 * WebTransport session (one per connection: clients dial with pooling off), WebTransport streams that
 * arrived before the CONNECT that opens their session was processed, and on a server the deadline for that
 * CONNECT. It reads the connection's HTTP/3 datagrams and hands each to its session. Event-loop confined.
 */
final class H3Connection {
    private final QuicChannel channel;
    private final ServerOptions options;
    private final Map<Long, WebTransportSession> sessions = new HashMap<>();
    private final Map<Long, List<QuicStream>> early = new HashMap<>();
    private final long idleTimeoutMillis;
    private final TransportStats stats;
    private QuicStream control;
    private HandshakeDeadline connectDeadline;

    /**
     * @param options           the server's options; null on a client
     * @param idleTimeoutMillis the idle timeout this end offered: keep-alives go out every third of it
     * @param stats             where keep-alives and open streams are counted; null counts nothing
     */
    H3Connection(QuicChannel channel, ServerOptions options, long idleTimeoutMillis, TransportStats stats) {
        this.channel = channel;
        this.options = options;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.stats = stats;
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf datagram) {
                    onDatagram(datagram);
                } else {
                    ctx.fireChannelRead(msg);
                }
            }
        });
    }

    /**
     * An HTTP/3 datagram (RFC 9297 section 2.1): a Quarter Stream ID varint (the CONNECT stream's id / 4),
     * then the payload, which goes to that session. Datagrams of no open session, and malformed ones (no
     * complete prefix), are dropped: RFC 9297 lets a receiver drop what it cannot attribute.
     */
    private void onDatagram(ByteBuf datagram) {
        if (!VarInt.isReadable(datagram)) {
            datagram.release();
            return;
        }
        long quarter = VarInt.read(datagram);
        WebTransportSession s = quarter > (Long.MAX_VALUE >> 2) ? null : sessions.get(quarter * 4);
        if (s == null) {
            datagram.release();
        } else {
            s.onDatagram(datagram);
        }
    }

    /** Bounds the time until the peer's extended CONNECT (server side); it is disarmed when a session opens. */
    void armConnectDeadline(long millis) {
        connectDeadline = HandshakeDeadline.arm(channel.eventLoop(), millis, HandshakeStage.WEBTRANSPORT_CONNECT,
                stats, channel.remoteSocketAddress(),
                () -> channel.close(true, (int) H3.H3_NO_ERROR, Unpooled.copiedBuffer("webtransport CONNECT timeout",
                        StandardCharsets.UTF_8)));
        channel.closeFuture().addListener(f -> connectDeadline.disarm());
    }

    QuicChannel channel() {
        return channel;
    }

    ServerOptions options() {
        return options;
    }

    /** Where this connection's keep-alives and its sessions' open streams are counted; null counts nothing. */
    TransportStats stats() {
        return stats;
    }

    /** Opens our control stream and sends SETTINGS. */
    void openControlStream(boolean server) {
        QuicStream.open(channel, QuicStreamType.UNIDIRECTIONAL).addListener(f -> {
            if (f.isSuccess()) {
                QuicStream s = (QuicStream) f.getNow();
                s.write(WebTransportServer.settingsFrame(channel.alloc()));
                s.flush();
                control = s;
                QuicKeepAlive.start(channel, idleTimeoutMillis, TransportKind.WEBTRANSPORT, stats, this::keepAlive);
            } else {
                channel.close();
            }
        });
    }

    /**
     * A reserved frame type (0x21 = 0x1f * 0 + 0x21, empty) on our control stream: receivers must ignore it
     * (RFC 9114 sections 7.2.8 and 9), and as stream data it is ack-eliciting and needs no datagram support.
     */
    private void keepAlive() {
        if (control != null && !control.isClosed()) {
            control.write(channel.alloc().buffer(2).writeByte(H3.FRAME_RESERVED_KEEP_ALIVE).writeByte(0));
            control.flush();
        }
    }

    void onSession(WebTransportSession session) {
        if (connectDeadline != null) {
            connectDeadline.disarm();
        }
        register(session);
        options.acceptor().onConnection(session);
    }

    /** Makes {@code session} receive the streams prefixed with its id, including any that came early. */
    void register(WebTransportSession session) {
        sessions.put(session.sessionId(), session);
        List<QuicStream> waiting = early.remove(session.sessionId());
        if (waiting != null) {
            for (QuicStream s : waiting) {
                session.onPeerStream(s);
            }
        }
    }

    void onSessionStream(long sessionId, QuicStream stream) {
        WebTransportSession s = sessions.get(sessionId);
        if (s != null) {
            s.onPeerStream(stream);
            return;
        }
        List<QuicStream> waiting = early.computeIfAbsent(sessionId, k -> new ArrayList<>());
        if (waiting.size() >= 64) {
            stream.stopSending(H3.H3_GENERAL_PROTOCOL_ERROR);
            stream.reset(H3.H3_GENERAL_PROTOCOL_ERROR);
            return;
        }
        waiting.add(stream);
    }

    void removeSession(WebTransportSession session) {
        sessions.remove(session.sessionId());
    }
}
