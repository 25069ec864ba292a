package dev.jmoq.relay.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's HTTP endpoints: {@code GET /api/dashboard} (the state as JSON) and {@code GET /api/events}
 * (server-sent events: {@code history} once, then {@code state} every second). Access is decided by the
 * caller (the admin listener serves them to anyone who reaches it; the public port checks a token first).
 *
 * <p>Stateless; on the calling connection's event loop. Response buffers are handed to Netty with the write.
 */
public final class DashboardApi {
    public static final String STATE = "/api/dashboard";
    public static final String EVENTS = "/api/events";

    private DashboardApi() {
    }

    /** True when {@code path} is one of the dashboard's endpoints. */
    public static boolean handles(String path) {
        return path.equals(STATE) || path.equals(EVENTS);
    }

    /** Answers a GET or HEAD of {@link #STATE} or {@link #EVENTS}; the caller checked {@link #handles}. */
    public static void serve(ChannelHandlerContext ctx, FullHttpRequest req, String path, Dashboard dashboard) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (path.equals(EVENTS) && !head) {
            if (!dashboard.streams().open(ctx.channel(), req.protocolVersion(), dashboard.initialEvents())) {
                send(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                        ("too many dashboards follow this relay (" + EventStreams.MAX_CLIENTS + ")\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        String type = path.equals(EVENTS) ? "text/event-stream; charset=utf-8" : "application/json";
        send(ctx, req, HttpResponseStatus.OK, type, path.equals(EVENTS) ? new byte[0] : dashboard.stateJson());
    }

    /** A complete response with {@code Cache-Control: no-store}; closes after it unless kept alive. */
    public static void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
            byte[] body) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("X-Content-Type-Options", "nosniff");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
