package dev.jmoq.relay.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Paths;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Routes admin requests: {@code /health}, {@code /health/live}, {@code /health/ready}, {@code /metrics},
 * {@code /announced} and {@code /announced/<prefix>}; the dashboard ({@code /}, {@code /assets/…}) and its
 * data ({@code /api/dashboard}, {@code /api/events}) go to the pages handler. Only GET and HEAD.
 *
 * <p>Shared by every admin connection (stateless); runs on the admin event loop. The request buffer is
 * released by {@link SimpleChannelInboundHandler}; the response buffer is handed to Netty with the write.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON_TYPE = "application/json";

    private final RelayMetrics metrics;
    private final Readiness readiness;
    private final Origin origin;
    private final dev.jmoq.relay.pages.PagesHandler pages;
    private final long startedNanos = System.nanoTime();

    AdminHandler(RelayMetrics metrics, Readiness readiness, Origin origin, dev.jmoq.relay.pages.PagesHandler pages) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.origin = origin;
        this.pages = pages;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (!req.decoderResult().isSuccess()) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n", head);
            return;
        }
        if (!head && !req.method().equals(HttpMethod.GET)) {
            send(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET or HEAD only\n", head);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        switch (path) {
            case "/health" -> send(ctx, req, HttpResponseStatus.OK, JSON_TYPE, health(), head);
            case "/health/live" -> send(ctx, req, HttpResponseStatus.OK, "text/plain", "ok\n", head);
            case "/health/ready" -> {
                boolean ready = readiness.isReady();
                send(ctx, req, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, JSON_TYPE,
                        ready(ready), head);
            }
            case "/metrics" -> send(ctx, req, HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.scrape(), head);
            default -> {
                if (path.equals("/announced") || path.startsWith("/announced/")) {
                    String prefix = Paths.normalize(path.length() > "/announced".length()
                            ? path.substring("/announced/".length()) : "");
                    send(ctx, req, HttpResponseStatus.OK, JSON_TYPE, announced(prefix), head);
                } else if (pages != null && pages.route(ctx, req)) {
                    return;
                } else {
                    send(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain",
                            "not found; try /health, /health/live, /health/ready, /metrics, /announced, / (dashboard), /api/dashboard\n", head);
                }
            }
        }
    }

    private String health() {
        ObjectNode o = JSON.createObjectNode();
        boolean ready = readiness.isReady();
        o.put("status", readiness.isDraining() ? "draining" : ready ? "ok" : "not_ready");
        o.put("live", true);
        o.put("ready", ready);
        o.put("draining", readiness.isDraining());
        o.put("uptime_seconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        o.put("broadcasts", origin.size());
        ObjectNode checks = o.putObject("checks");
        readiness.checks().forEach(checks::put);
        return o.toString();
    }

    private String ready(boolean ready) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ready", ready);
        o.put("draining", readiness.isDraining());
        ObjectNode failing = o.putObject("failing");
        for (Map.Entry<String, String> e : readiness.checks().entrySet()) {
            if (!e.getValue().equals("ok")) {
                failing.put(e.getKey(), e.getValue());
            }
        }
        return o.toString();
    }

    private String announced(String prefix) {
        ObjectNode o = JSON.createObjectNode();
        o.put("prefix", prefix);
        ArrayNode list = o.putArray("broadcasts");
        for (Broadcast b : origin.list(prefix)) {
            BroadcastLoad load = BroadcastLoad.of(b);
            ObjectNode e = list.addObject();
            e.put("path", load.path());
            e.put("suffix", Paths.suffix(load.path(), prefix));
            e.put("tracks", load.tracks());
            e.put("subscribers", load.subscribers());
        }
        return o.toString();
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
            String contentType, String body, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!keepAlive) {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(res);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
