package dev.jmoq.transport.webtransport;

import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.quic.H3Acceptor;
import dev.jmoq.transport.quic.QuicMoqConnection;
import dev.jmoq.transport.quic.QuicStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamRelease;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WebTransport over HTTP/3 on our own minimal HTTP/3 layer (Netty's HTTP/3 codec cannot carry
 * WebTransport bidirectional streams). Takes QUIC connections that negotiated ALPN {@code h3}:
 * exchanges SETTINGS on control streams (extended CONNECT, HTTP datagrams and WebTransport enabled),
 * accepts an extended CONNECT with {@code :protocol = webtransport}, picks the MoQ protocol from
 * {@code wt-available-protocols}, and hands the session to the acceptor as a MoqConnection. Streams
 * prefixed 0x41 (bidirectional) and 0x54 (unidirectional) with the session id are the session's.
 *
 * <p>Threading: everything of one connection runs on its event loop. Stateless across connections.
 */
public final class WebTransportServer implements H3Acceptor {
    private static final System.Logger LOG = System.getLogger("jmoq.webtransport");
    static final AttributeKey<H3Connection> KEY = AttributeKey.valueOf("jmoq.h3.connection");
    /** Largest request header section we accept. */
    static final int MAX_HEADERS = 16 * 1024;

    @Override
    public void onConnection(QuicChannel channel, ServerOptions options) {
        H3Connection h3 = new H3Connection(channel, options, options.maxIdleTimeoutMillis(), options.stats());
        channel.attr(KEY).set(h3);
        h3.armConnectDeadline(options.handshakeTimeoutMillis());
        h3.openControlStream(true);
    }

    @Override
    public void onStream(QuicStreamChannel stream) {
        H3Connection h3 = stream.parent().attr(KEY).get();
        QuicMoqConnection.configure(stream);
        if (h3 == null) {
            // The stream raced the handshake event; the connection state is created on the same loop.
            stream.pipeline().addLast(new Classifier(stream, null));
            return;
        }
        stream.pipeline().addLast(new Classifier(stream, h3));
    }

    /**
     * Writes our SETTINGS: what Chromium (ENABLE_WEBTRANSPORT draft-02) and quic-go's webtransport-go
     * (extended CONNECT, H3_DATAGRAM and SETTINGS_WT_ENABLED) require before they send an extended CONNECT.
     */
    static ByteBuf settingsFrame(ByteBufAllocator alloc) {
        ByteBuf body = alloc.buffer();
        long[][] settings = {
                {H3.SETTINGS_QPACK_MAX_TABLE_CAPACITY, 0},
                {H3.SETTINGS_QPACK_BLOCKED_STREAMS, 0},
                {H3.SETTINGS_ENABLE_CONNECT_PROTOCOL, 1},
                {H3.SETTINGS_H3_DATAGRAM, 1},
                {H3.SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02, 1},
                {H3.SETTINGS_WT_MAX_SESSIONS_DRAFT07, 1},
                {H3.SETTINGS_WT_MAX_SESSIONS, 1},
                {H3.SETTINGS_WT_ENABLED, 1},
        };
        for (long[] s : settings) {
            VarInt.write(body, s[0]);
            VarInt.write(body, s[1]);
        }
        ByteBuf out = alloc.buffer();
        VarInt.write(out, H3.STREAM_CONTROL);
        VarInt.write(out, H3.FRAME_SETTINGS);
        VarInt.write(out, body.readableBytes());
        out.writeBytes(body);
        body.release();
        return out;
    }

    /**
     * Reads a new stream's first bytes to learn what it is, then hands it on: control and QPACK streams
     * are drained, WebTransport streams go to their session, a request stream is parsed for CONNECT.
     */
    static final class Classifier extends ChannelInboundHandlerAdapter {
        private final QuicStreamChannel stream;
        private H3Connection h3;
        private final CompositeByteBuf buf = Unpooled.compositeBuffer(64);
        private boolean fin;
        private boolean done;
        /** Once set, this stream is a request stream read frame by frame. */
        private RequestStream request;
        private boolean drain;

        Classifier(QuicStreamChannel stream, H3Connection h3) {
            this.stream = stream;
            this.h3 = h3;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data;
            if (msg instanceof QuicStreamFrame f) {
                data = f.content().retain();
                fin |= f.hasFin();
                f.release();
            } else if (msg instanceof ByteBuf b) {
                data = b;
            } else {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (done || drain) {
                data.release();
                return;
            }
            buf.addComponent(true, data);
            process(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete) {
                fin = true;
                process(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (request != null) {
                request.ended();
            }
            release();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (request != null) {
                request.ended();
            }
            if (cause instanceof QuicStreamResetException) {
                fin = true; // a uni stream reset before it was handed on: it is over, like a FIN
                closeEndedUni();
            }
        }

        /**
         * A unidirectional stream the peer ended (FIN or reset) while it is still ours (drained, or its type not
         * known yet): close it and make the connection forget it (Netty keeps a received uni stream open after
         * its FIN or reset; see QuicStream, "Lifetime").
         */
        private void closeEndedUni() {
            if (fin && stream.type() == QuicStreamType.UNIDIRECTIONAL && stream.isActive()) {
                release();
                stream.close().addListener(f -> QuicStreamRelease.forget(stream));
            }
        }

        private void release() {
            if (!done) {
                done = true;
                buf.release();
            }
        }

        private void process(ChannelHandlerContext ctx) {
            if (done) {
                return;
            }
            if (h3 == null) {
                h3 = stream.parent().attr(KEY).get();
                if (h3 == null) {
                    stream.close();
                    release();
                    return;
                }
            }
            try {
                if (request != null) {
                    request.read(buf, fin);
                    buf.discardReadComponents();
                    return;
                }
                if (drain) {
                    closeEndedUni();
                    return;
                }
                if (!VarInt.isReadable(buf)) {
                    closeEndedUni(); // a uni stream that ended before its type: nothing more will come
                    return;
                }
                int mark = buf.readerIndex();
                long type = VarInt.read(buf);
                if (stream.type() == QuicStreamType.UNIDIRECTIONAL) {
                    if (type == H3.STREAM_WT_UNI) {
                        if (!VarInt.isReadable(buf)) {
                            buf.readerIndex(mark);
                            return;
                        }
                        long sessionId = VarInt.read(buf);
                        handOver(ctx, sessionId);
                    } else {
                        // Control, QPACK encoder/decoder, push or unknown: nothing we act on.
                        drain = true;
                        buf.skipBytes(buf.readableBytes());
                        closeEndedUni();
                    }
                    return;
                }
                if (type == H3.SIGNAL_WT_BIDI) {
                    if (!VarInt.isReadable(buf)) {
                        buf.readerIndex(mark);
                        return;
                    }
                    long sessionId = VarInt.read(buf);
                    handOver(ctx, sessionId);
                    return;
                }
                buf.readerIndex(mark);
                request = new RequestStream(h3, stream);
                request.read(buf, fin);
                buf.discardReadComponents();
            } catch (ProtocolException e) {
                LOG.log(System.Logger.Level.INFO, "event=h3_error code=" + e.code() + " reason=\"" + e.getMessage()
                        + "\" remote=" + stream.parent().remoteSocketAddress());
                stream.parent().close(true, (int) e.code(), Unpooled.EMPTY_BUFFER);
                release();
            }
        }

        /** The stream belongs to session {@code sessionId}: the rest of it becomes a QuicStream. */
        private void handOver(ChannelHandlerContext ctx, long sessionId) {
            ByteBuf leftover = buf.readableBytes() > 0 ? buf.readRetainedSlice(buf.readableBytes()) : null;
            boolean finished = fin;
            release();
            ctx.pipeline().remove(this);
            QuicStream s = QuicStream.adopt(stream, leftover, finished);
            h3.onSessionStream(sessionId, s);
        }
    }

    /** Parses the HTTP/3 frames of a request stream: HEADERS (the CONNECT), then capsules in the body. */
    static final class RequestStream {
        private final H3Connection h3;
        private final QuicStreamChannel stream;
        private WebTransportSession session;
        private boolean ended;

        RequestStream(H3Connection h3, QuicStreamChannel stream) {
            this.h3 = h3;
            this.stream = stream;
        }

        void read(ByteBuf in, boolean fin) throws ProtocolException {
            while (true) {
                // Before CONNECT: HTTP/3 frames. After it, the stream carries capsules (RFC 9297).
                TypeLengthValue tlv = TypeLengthValue.tryRead(in, MAX_HEADERS,
                        session == null ? H3.H3_FRAME_ERROR : H3.H3_MESSAGE_ERROR);
                if (tlv == null) {
                    break;
                }
                if (session != null) {
                    ByteBuf value = tlv.value();
                    if (tlv.type() == H3.CAPSULE_CLOSE_WEBTRANSPORT_SESSION && value.readableBytes() >= 4) {
                        long code = value.readUnsignedInt();
                        session.peerClosed(code, value.toString(StandardCharsets.UTF_8));
                    }
                } else if (tlv.type() == H3.FRAME_HEADERS) {
                    onHeaders(Qpack.decode(tlv.value(), 64));
                }
                // DATA before CONNECT and unknown frame types are ignored (RFC 9114 section 9).
            }
            if (fin) {
                ended();
            }
        }

        void ended() {
            if (!ended) {
                ended = true;
                if (session != null) {
                    session.peerClosed(0, "CONNECT stream ended");
                }
            }
        }

        private void onHeaders(List<Qpack.Field> fields) {
            Map<String, String> h = new HashMap<>();
            for (Qpack.Field f : fields) {
                h.merge(f.name(), f.value(), (a, b) -> a + ", " + b);
            }
            if (!"CONNECT".equals(h.get(":method")) || !"webtransport".equals(h.get(":protocol"))
                    || h.get(":path") == null || h.get(":authority") == null) {
                LOG.log(System.Logger.Level.INFO, "event=h3_request_refused method=" + h.get(":method") + " protocol="
                        + h.get(":protocol") + " path=" + h.get(":path"));
                respond(stream, h.get(":method") == null ? "400" : "404", List.of());
                stream.writeAndFlush(QuicStreamFrame.EMPTY_FIN);
                return;
            }
            String offered = h.get("wt-available-protocols");
            String chosen = choose(offered, h3.options().protocols());
            List<Map.Entry<String, String>> extra = new ArrayList<>();
            extra.add(new AbstractMap.SimpleEntry<>("sec-webtransport-http3-draft", "draft02"));
            if (chosen != null) {
                extra.add(new AbstractMap.SimpleEntry<>("wt-protocol", "\"" + chosen + "\""));
            }
            respond(stream, "200", extra);
            session = new WebTransportSession(h3, stream, h.get(":path"), h.get("origin"), chosen == null ? "" : chosen);
            h3.onSession(session);
        }

        private static void respond(QuicStreamChannel stream, String status, List<Map.Entry<String, String>> headers) {
            List<Map.Entry<String, String>> all = new ArrayList<>();
            all.add(new AbstractMap.SimpleEntry<>(":status", status));
            all.addAll(headers);
            ByteBuf section = stream.alloc().buffer();
            Qpack.encode(section, all);
            ByteBuf out = stream.alloc().buffer();
            VarInt.write(out, H3.FRAME_HEADERS);
            VarInt.write(out, section.readableBytes());
            out.writeBytes(section);
            section.release();
            stream.writeAndFlush(out);
        }
    }

    /**
     * The server's pick from a {@code wt-available-protocols} structured-field list of strings: the first
     * of our protocols (in our order of preference) that the client offered; null when none matched or
     * nothing was offered.
     */
    static String choose(String offered, List<String> ours) {
        if (offered == null || offered.isBlank()) {
            return null;
        }
        List<String> theirs = parseStringList(offered);
        for (String p : ours) {
            if (theirs.contains(p)) {
                return p;
            }
        }
        return null;
    }

    /** Parses an RFC 8941 list of strings ({@code "a", "b"}); tokens and parameters are tolerated. */
    static List<String> parseStringList(String value) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (i < n && value.charAt(i) != '"') {
                    if (value.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    b.append(value.charAt(i++));
                }
                out.add(b.toString());
                i++;
                while (i < n && value.charAt(i) != ',') {
                    i++; // parameters
                }
            } else if (c == ',' || c == ' ' || c == '\t') {
                i++;
            } else {
                int start = i;
                while (i < n && value.charAt(i) != ',' && value.charAt(i) != ';') {
                    i++;
                }
                out.add(value.substring(start, i).trim());
                while (i < n && value.charAt(i) != ',') {
                    i++;
                }
            }
        }
        return out;
    }
}
