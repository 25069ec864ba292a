package dev.jmoq.transport.websocket;

import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.tls.PinnedTrustManager;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Dials a MoQ server over WebSocket ({@code ws://} or {@code wss://}; {@code http(s)://} are mapped), offering
 * qmux subprotocols for the client's protocols, and yields a {@link MoqConnection} once the handshake is done.
 *
 * <p>Trust for {@code wss://}: any certificate when {@link ClientOptions#insecure()}, else a leaf matching one of
 * {@link ClientOptions#certificateSha256()}, else the system trust store with host name verification.
 * Stateless and thread-safe.
 */
public final class WebSocketClient {
    private WebSocketClient() {
    }

    /** Offers {@link Subprotocol#preference} of the client's protocols, with default {@link QmuxSettings}. */
    public static Future<MoqConnection> connect(URI uri, ClientOptions options) {
        return connect(uri, options, QmuxSettings.defaults(), Subprotocol.preference(options.protocols()));
    }

    /**
     * Dials {@code uri} offering exactly {@code subprotocols} (in order) and advertising {@code settings}.
     * The future completes on the connection's event loop.
     */
    public static Future<MoqConnection> connect(URI uri, ClientOptions options, QmuxSettings settings,
            List<String> subprotocols) {
        EventLoop loop = options.group().next();
        Promise<MoqConnection> promise = loop.newPromise();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        boolean tls = scheme.equals("wss") || scheme.equals("https");
        if (!tls && !scheme.equals("ws") && !scheme.equals("http")) {
            return promise.setFailure(new IllegalArgumentException("not a WebSocket URI: " + uri));
        }
        URI wsUri = URI.create((tls ? "wss" : "ws") + uri.toString().substring(scheme.length()));
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        SslContext ssl;
        try {
            ssl = tls ? sslContext(options) : null;
        } catch (SSLException e) {
            return promise.setFailure(e);
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(wsUri,
                WebSocketVersion.V13, String.join(",", subprotocols), false, new DefaultHttpHeaders(),
                HttpEntryHandler.MAX_MESSAGE);
        String path = wsUri.getRawPath() == null || wsUri.getRawPath().isEmpty() ? "/" : wsUri.getRawPath();
        if (wsUri.getRawQuery() != null) {
            path += "?" + wsUri.getRawQuery();
        }
        String requestPath = path;
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(isEpoll(loop) ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        if (ssl != null) {
                            c.pipeline().addLast("tls", ssl.newHandler(c.alloc(), host, port));
                        }
                        c.pipeline().addLast("http", new HttpClientCodec());
                        c.pipeline().addLast("http-aggregator", new HttpObjectAggregator(16 * 1024));
                        c.pipeline().addLast("handshake", new Handshake(handshaker, promise, settings, requestPath));
                    }
                });
        b.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
            }
        });
        // Bound the whole dial, TLS and upgrade included.
        loop.schedule(() -> promise.tryFailure(
                new java.util.concurrent.TimeoutException("WebSocket connect to " + uri + " timed out")),
                options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        return promise;
    }

    private static boolean isEpoll(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
    }

    private static SslContext sslContext(ClientOptions options) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (options.insecure()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else if (!options.certificateSha256().isEmpty()) {
            b.trustManager(new PinnedTrustManager(options.certificateSha256())).endpointIdentificationAlgorithm(null);
        } else {
            b.endpointIdentificationAlgorithm("HTTPS");
        }
        return b.build();
    }

    /** Runs the upgrade, then swaps itself for the connection. One per channel, on its loop. */
    private static final class Handshake extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final WebSocketClientHandshaker handshaker;
        private final Promise<MoqConnection> promise;
        private final QmuxSettings settings;
        private final String path;

        Handshake(WebSocketClientHandshaker handshaker, Promise<MoqConnection> promise, QmuxSettings settings, String path) {
            this.handshaker = handshaker;
            this.promise = promise;
            this.settings = settings;
            this.path = path;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (promise.isDone()) {
                ctx.close();
                return;
            }
            handshaker.handshake(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            Channel ch = ctx.channel();
            try {
                handshaker.finishHandshake(ch, res);
            } catch (RuntimeException e) {
                promise.tryFailure(e);
                ch.close();
                return;
            }
            String actual = handshaker.actualSubprotocol();
            // A server that picked nothing speaks the legacy framing (as the polyfill assumes).
            Subprotocol sub = actual == null || actual.isEmpty() ? new Subprotocol(WireVersion.WEBTRANSPORT, "")
                    : Subprotocol.parse(actual).orElse(null);
            if (sub == null) {
                promise.tryFailure(new IllegalStateException("server chose unknown subprotocol " + actual));
                ch.close();
                return;
            }
            Liveness liveness = new Liveness(settings.idleTimeoutMillis(), null);
            QmuxConnection conn = new QmuxConnection(ch, false, sub, false, path, null, settings, liveness);
            ctx.pipeline().addFirst("liveness", liveness);
            ctx.pipeline().addLast("ws-aggregator", new WebSocketFrameAggregator(HttpEntryHandler.MAX_MESSAGE));
            ctx.pipeline().addLast("qmux", conn);
            ctx.pipeline().remove(this);
            conn.start(0, null);
            if (!promise.trySuccess(conn)) {
                conn.close(0, "dial timed out"); // the caller gave up meanwhile
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            promise.tryFailure(new IllegalStateException("connection closed during the WebSocket handshake"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            promise.tryFailure(cause);
            ctx.close();
        }
    }
}
