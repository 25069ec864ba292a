package dev.jmoq.transport.websocket;

import dev.jmoq.transport.HandshakeDeadline;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.TransportStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The first request handler of a TCP connection (plain or TLS): serves {@code GET /certificate.sha256}, turns a
 * WebSocket upgrade on any path into a {@link QmuxConnection} with the subprotocol of our choosing, passes any
 * other request to the next handler when the server was given one ({@link #NEXT}, the relay's pages), and
 * answers 404 otherwise. A complete request must arrive within the handshake timeout of the connection's start
 * (or of the end of the previous response on a kept-alive connection, so a long response such as the dashboard's
 * event stream is never cut), else the connection is closed and counted.
 *
 * <p>Concurrency: one instance per channel, on its event loop. Buffers: the request is released by
 * {@link SimpleChannelInboundHandler}; responses are owned by the pipeline once written.
 */
final class HttpEntryHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(HttpEntryHandler.class.getName());

    /** Largest WebSocket message we accept: qmux bounds messages to about 16 KiB; leave room for the legacy framing. */
    static final int MAX_MESSAGE = 64 * 1024;
    /** Pipeline name of the optional handler that gets the plain HTTP requests this one does not serve. */
    static final String NEXT = "http-next";

    private final ServerOptions options;
    private final QmuxSettings settings;
    private HandshakeDeadline deadline;

    HttpEntryHandler(ServerOptions options, QmuxSettings settings) {
        this.options = options;
        this.settings = settings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        armDeadline(ctx);
        // Sees every response written by this handler or the next one; the wait for the next request starts when
        // a response has been sent in full.
        ctx.pipeline().addBefore(ctx.name(), ctx.name() + "-response-end", new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext out, Object msg, ChannelPromise promise) {
                if (msg instanceof LastHttpContent) {
                    promise = promise.unvoid();
                    promise.addListener(f -> {
                        if (f.isSuccess() && ctx.channel().isActive() && ctx.pipeline().context(HttpEntryHandler.this) != null) {
                            armDeadline(ctx);
                        }
                    });
                }
                out.write(msg, promise);
            }
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.disarm();
        ctx.fireChannelInactive();
    }

    /** Bounds the wait for the next complete request: a silent or half-sent request costs a descriptor for that long. */
    private void armDeadline(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.disarm();
        }
        deadline = HandshakeDeadline.arm(ctx.executor(), options.handshakeTimeoutMillis(),
                TransportStats.HandshakeStage.HTTP, options.stats(), ctx.channel().remoteAddress(), ctx::close);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        deadline.disarm();
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad request\n");
            return;
        }
        if (isUpgrade(req)) {
            upgrade(ctx, req);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals("/certificate.sha256") && (req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
            // Exactly the hex digits: the npm clients parse the body without trimming it.
            respond(ctx, req, HttpResponseStatus.OK, options.certificate().sha256Hex());
        } else if (req.method().equals(HttpMethod.OPTIONS)) {
            respond(ctx, req, HttpResponseStatus.NO_CONTENT, "");
        } else if (ctx.pipeline().get(NEXT) != null) {
            ctx.fireChannelRead(req.retain()); // released by SimpleChannelInboundHandler; the next one owns this reference
        } else {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n");
        }
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        List<String> offered = req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        Optional<Subprotocol> choice = Subprotocol.choose(offered, options.protocols());
        if (choice.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "event=ws_rejected remote={0} reason=no_subprotocol offered=\"{1}\"",
                    ctx.channel().remoteAddress(), String.join(",", offered));
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "no supported WebSocket subprotocol\n");
            return;
        }
        Subprotocol sub = choice.get();
        String scheme = ctx.pipeline().get(SslHandler.class) != null ? "wss" : "ws";
        String url = scheme + "://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(url, sub.value(), false, MAX_MESSAGE).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Liveness liveness = new Liveness(settings.idleTimeoutMillis(), options.stats());
        QmuxConnection conn = new QmuxConnection(ctx.channel(), true, sub, Subprotocol.isLegacyOffer(offered),
                req.uri(), req.headers().get(HttpHeaderNames.ORIGIN), settings, liveness);
        // Install the message path before the 101 goes out, so no frame can slip past it.
        ChannelPipeline p = ctx.pipeline();
        p.addFirst("liveness", liveness);
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
        p.addLast("qmux", conn);
        if (p.get(NEXT) != null) {
            p.remove(NEXT);
        }
        p.remove(ctx.name() + "-response-end");
        p.remove(this);
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
                return;
            }
            conn.start(options.handshakeTimeoutMillis(), options.stats());
            try {
                options.acceptor().onConnection(conn);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event=ws_acceptor_failed remote={0} error={1}",
                        ctx.channel().remoteAddress(), e.toString());
                conn.close(0, "internal error");
            }
        });
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
        ByteBuf content = req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), status, content);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.getBytes(StandardCharsets.UTF_8).length);
        // Browser clients fetch the fingerprint cross-origin.
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (req.method().equals(HttpMethod.OPTIONS)) {
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req) && status.code() < 400;
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "event=http_error remote={0} error={1}", ctx.channel().remoteAddress(),
                String.valueOf(cause.getMessage()));
        ctx.close();
    }
}
