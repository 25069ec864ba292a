package dev.jmoq.relay.pages;

import dev.jmoq.relay.admin.Dashboard;
import dev.jmoq.relay.admin.DashboardApi;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the pages: {@code /} (dashboard), {@code /watch/<broadcast>}, {@code /publish/<name>}, the bundled
 * {@code /assets/<hashed name>}, and the dashboard's data ({@code /api/dashboard}, {@code /api/events}) when
 * {@link DashboardAccess} allows. GET and HEAD only (405 otherwise); anything else is 404, never a listing.
 *
 * <p>Caching: assets have content hashes in their names and are {@code immutable} for a year; HTML is
 * {@code no-cache} (revalidated with its ETag, so a new bundle shows at once); data is {@code no-store}.
 *
 * <p>Shared by every connection (stateless); runs on the connection's event loop. The request is released by
 * {@link SimpleChannelInboundHandler}; response buffers wrap the bundled bytes and go to Netty with the write.
 */
@ChannelHandler.Sharable
public final class PagesHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final PageAssets assets;
    private final Dashboard dashboard;
    private final DashboardAccess access;
    private final boolean players;
    private final Map<String, String> etags = new ConcurrentHashMap<>();

    /**
     * @param dashboard the dashboard's data, or null to serve no data
     * @param access    who may read the data; null serves it to anyone (the admin listener)
     * @param players   serve {@code /watch/…} and {@code /publish/…} (on the MoQ port; not on the admin port,
     *                  whose origin the MoQ clients could not dial)
     */
    public PagesHandler(PageAssets assets, Dashboard dashboard, DashboardAccess access, boolean players) {
        this.assets = assets;
        this.dashboard = dashboard;
        this.access = access;
        this.players = players;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!route(ctx, req)) {
            text(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n");
        }
    }

    /** Answers {@code req} when it names a page, an asset or the dashboard's data; false (nothing sent) otherwise. */
    public boolean route(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).rawPath();
        String file = fileFor(path);
        boolean api = dashboard != null && DashboardApi.handles(path);
        if (file == null && !api) {
            return false;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            text(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
            return true;
        }
        if (api) {
            DashboardAccess.Decision d = access == null ? null : access.check(req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (d != null && !d.allowed()) {
                text(ctx, req, HttpResponseStatus.valueOf(d.status()), d.reason());
            } else {
                DashboardApi.serve(ctx, req, path, dashboard);
            }
            return true;
        }
        serveFile(ctx, req, file);
        return true;
    }

    /** The bundled file a path names, or null: exact names only, so {@code ..} and listings cannot happen. */
    String fileFor(String path) {
        if (path.equals("/") || path.equals("/index.html")) {
            return "index.html";
        }
        if (players && hasName(path, "/watch/")) {
            return "watch.html";
        }
        if (players && hasName(path, "/publish/")) {
            return "publish.html";
        }
        if (path.startsWith("/assets/") && path.indexOf('/', "/assets/".length()) < 0) {
            String name = path.substring(1);
            return assets.get(name) != null ? name : null;
        }
        return null;
    }

    /** {@code /watch/<name>}: a non-empty name with no empty, "." or ".." segment. */
    private static boolean hasName(String path, String prefix) {
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return false;
        }
        for (String segment : path.substring(prefix.length()).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private void serveFile(ChannelHandlerContext ctx, FullHttpRequest req, String name) {
        PageAssets.Asset a = assets.get(name);
        String etag = etags.computeIfAbsent(name, n -> etag(a.bytes()));
        boolean fresh = etag.equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(),
                fresh ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                fresh || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.bytes()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
        if (!fresh) {
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, a.bytes().length);
        }
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, a.immutable() ? IMMUTABLE : "no-cache");
        res.headers().set(HttpHeaderNames.ETAG, etag);
        write(ctx, req, res);
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void text(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), status,
                req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        write(ctx, req, res);
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        res.headers().set("X-Content-Type-Options", "nosniff");
        // Watch and publish URLs may carry ?jwt=: never hand them to another site.
        res.headers().set("Referrer-Policy", "no-referrer");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
