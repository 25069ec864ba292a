package dev.jmoq.transport.webtransport;

import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.transport.quic.QuicMoqConnection;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.URI;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Dials WebTransport ({@code https://host:port/path?query}): QUIC with ALPN h3, our SETTINGS, an extended
 * CONNECT offering {@link ClientOptions#protocols()} in {@code wt-available-protocols}; the session is
 * ready once the server answers 200 (its {@code wt-protocol} is the chosen protocol). Stateless and
 * thread-safe.
 */
public final class WebTransportClient {
    private WebTransportClient() {
    }

    public static Future<MoqConnection> connect(URI uri, ClientOptions options) {
        EventLoop loop = options.group().next();
        Promise<MoqConnection> result = loop.newPromise();
        Future<QuicChannel> dial = QuicClient.dial(uri, options, List.of("h3"), loop,
                new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        // The server's streams (its HTTP/3 control stream first) can arrive before the dial's
                        // listener has run (when the handshake completed before it was added, it runs as a later
                        // task): the HTTP/3 connection is made here then.
                        H3Connection h3 = h3(ch.parent());
                        QuicMoqConnection.configure(ch);
                        ch.pipeline().addLast(new WebTransportServer.Classifier(ch, h3));
                    }
                });
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                result.tryFailure(f.cause());
                return;
            }
            QuicChannel channel = dial.getNow();
            H3Connection h3 = h3(channel);
            channel.createStream(QuicStreamType.BIDIRECTIONAL, new Request(uri, options, h3, result))
                    .addListener(s -> {
                        if (!s.isSuccess()) {
                            result.tryFailure(s.cause());
                            channel.close();
                        }
                    });
            channel.closeFuture().addListener(c -> result.tryFailure(new IllegalStateException("connection closed")));
        });
        return result;
    }

    /** The HTTP/3 connection over {@code channel} (with our control stream opened), made on first need. On its event loop. */
    private static H3Connection h3(QuicChannel channel) {
        H3Connection h3 = channel.attr(WebTransportServer.KEY).get();
        if (h3 == null) {
            h3 = new H3Connection(channel, null, QuicClient.CLIENT_IDLE_TIMEOUT_MILLIS, null);
            channel.attr(WebTransportServer.KEY).set(h3);
            h3.openControlStream(false);
        }
        return h3;
    }

    /** Sends the extended CONNECT and reads the response, then the capsules of the session. */
    private static final class Request extends ChannelInboundHandlerAdapter {
        private final URI uri;
        private final ClientOptions options;
        private final H3Connection h3;
        private final Promise<MoqConnection> result;
        private final CompositeByteBuf buf = Unpooled.compositeBuffer(16);
        private WebTransportSession session;
        private boolean done;
        private boolean sent;

        Request(URI uri, ClientOptions options, H3Connection h3, Promise<MoqConnection> result) {
            this.uri = uri;
            this.options = options;
            this.h3 = h3;
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (sent) {
                ctx.fireChannelActive();
                return;
            }
            sent = true;
            QuicStreamChannel ch = (QuicStreamChannel) ctx.channel();
            QuicMoqConnection.configure(ch);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            headers.add(new AbstractMap.SimpleEntry<>(":method", "CONNECT"));
            headers.add(new AbstractMap.SimpleEntry<>(":scheme", "https"));
            headers.add(new AbstractMap.SimpleEntry<>(":authority", uri.getHost() + ":" + uri.getPort()));
            headers.add(new AbstractMap.SimpleEntry<>(":path", path));
            headers.add(new AbstractMap.SimpleEntry<>(":protocol", "webtransport"));
            headers.add(new AbstractMap.SimpleEntry<>("sec-webtransport-http3-draft02", "1"));
            if (!options.protocols().isEmpty()) {
                headers.add(new AbstractMap.SimpleEntry<>("wt-available-protocols",
                        options.protocols().stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "))));
            }
            ByteBuf section = ch.alloc().buffer();
            Qpack.encode(section, headers);
            ByteBuf out = ch.alloc().buffer();
            VarInt.write(out, H3.FRAME_HEADERS);
            VarInt.write(out, section.readableBytes());
            out.writeBytes(section);
            section.release();
            ch.writeAndFlush(out);
            ctx.fireChannelActive();
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                channelActive(ctx); // already active: the event may not come again
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data;
            boolean fin = false;
            if (msg instanceof QuicStreamFrame f) {
                data = f.content().retain();
                fin = f.hasFin();
                f.release();
            } else if (msg instanceof ByteBuf b) {
                data = b;
            } else {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (done) {
                data.release();
                return;
            }
            buf.addComponent(true, data);
            try {
                parse((QuicStreamChannel) ctx.channel());
            } catch (ProtocolException e) {
                result.tryFailure(e);
                ctx.channel().parent().close();
            }
            if (fin && session != null) {
                session.peerClosed(0, "CONNECT stream ended");
            }
        }

        private void parse(QuicStreamChannel ch) throws ProtocolException {
            while (!done) {
                TypeLengthValue tlv = TypeLengthValue.tryRead(buf, WebTransportServer.MAX_HEADERS, H3.H3_FRAME_ERROR);
                if (tlv == null) {
                    return;
                }
                long type = tlv.type();
                ByteBuf payload = tlv.value();
                if (session == null && type == H3.FRAME_HEADERS) {
                    Map<String, String> h = new HashMap<>();
                    for (Qpack.Field f : Qpack.decode(payload, 64)) {
                        h.put(f.name(), f.value());
                    }
                    if (!"200".equals(h.get(":status"))) {
                        result.tryFailure(new IllegalStateException("WebTransport CONNECT refused: " + h.get(":status")));
                        ch.parent().close();
                        done = true;
                        return;
                    }
                    List<String> chosen = WebTransportServer.parseStringList(h.getOrDefault("wt-protocol", ""));
                    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                    session = new WebTransportSession(h3, ch, path, null, chosen.isEmpty() ? "" : chosen.getFirst());
                    h3.register(session);
                    result.trySuccess(session);
                } else if (session != null && type == H3.CAPSULE_CLOSE_WEBTRANSPORT_SESSION && payload.readableBytes() >= 4) {
                    long code = payload.readUnsignedInt();
                    session.peerClosed(code, payload.toString(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done) {
                done = true;
                buf.release();
            }
            if (session != null) {
                session.peerClosed(0, "CONNECT stream closed");
            }
            result.tryFailure(new IllegalStateException("CONNECT stream closed before a response"));
            ctx.fireChannelInactive();
        }
    }
}
