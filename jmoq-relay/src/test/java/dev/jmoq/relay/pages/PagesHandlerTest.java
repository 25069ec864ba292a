package dev.jmoq.relay.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.Origin;
import dev.jmoq.relay.admin.Dashboard;
import dev.jmoq.relay.admin.DashboardSources;
import dev.jmoq.relay.admin.Readiness;
import dev.jmoq.relay.admin.RecentErrors;
import dev.jmoq.relay.auth.AuthOptions;
import dev.jmoq.relay.auth.Jwt;
import dev.jmoq.relay.auth.JwtAlgorithm;
import dev.jmoq.relay.auth.JwtKey;
import dev.jmoq.relay.auth.TokenClaims;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PagesHandlerTest {
    private static final PageAssets ASSETS = PageAssets.load(PagesHandlerTest.class.getClassLoader());
    private final Dashboard dashboard = new Dashboard(new DashboardSources(new Origin(), new Readiness(), List::of,
            List::of, () -> 0, () -> 0, new RecentErrors(), () -> 4443), () -> 1_000);
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        dashboard.close();
    }

    private static FullHttpResponse request(PagesHandler h, HttpMethod method, String uri, String... headers) {
        EmbeddedChannel ch = new EmbeddedChannel(h);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().set(headers[i], headers[i + 1]);
        }
        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();
        assertNotNull(res, uri);
        ch.finishAndReleaseAll();
        return res;
    }

    private static String body(FullHttpResponse res) {
        try {
            return res.content().toString(StandardCharsets.UTF_8);
        } finally {
            res.release();
        }
    }

    private PagesHandler open() {
        return new PagesHandler(ASSETS, dashboard, DashboardAccess.of(AuthOptions.defaults(), Clock.systemUTC()), true);
    }

    @Test
    void servesThePagesWithTheirTypesAndCaching() {
        PagesHandler h = open();
        FullHttpResponse index = request(h, HttpMethod.GET, "/");
        assertEquals(200, index.status().code());
        assertEquals("text/html; charset=utf-8", index.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("no-cache", index.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("nosniff", index.headers().get("X-Content-Type-Options"));
        String html = body(index);
        assertTrue(html.contains("<title>jmoq relay</title>"), html);
        for (String uri : List.of("/watch/room/alice", "/watch/a%20b", "/publish/me?jwt=x")) {
            FullHttpResponse r = request(h, HttpMethod.GET, uri);
            assertEquals(200, r.status().code(), uri);
            assertEquals("text/html; charset=utf-8", r.headers().get(HttpHeaderNames.CONTENT_TYPE), uri);
            r.release();
        }
        String asset = ASSETS.names().stream().filter(n -> n.startsWith("assets/dashboard-") && n.endsWith(".js"))
                .findFirst().orElseThrow();
        FullHttpResponse js = request(h, HttpMethod.GET, "/" + asset);
        assertEquals("text/javascript; charset=utf-8", js.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("public, max-age=31536000, immutable", js.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals(ASSETS.get(asset).bytes().length, js.content().readableBytes());
        String etag = js.headers().get(HttpHeaderNames.ETAG);
        js.release();
        FullHttpResponse again = request(h, HttpMethod.GET, "/" + asset, "If-None-Match", etag);
        assertEquals(304, again.status().code());
        assertEquals(0, again.content().readableBytes());
        again.release();
        FullHttpResponse head = request(h, HttpMethod.HEAD, "/");
        assertEquals(200, head.status().code());
        assertEquals(0, head.content().readableBytes());
        head.release();
    }

    @Test
    void anythingElseIsNotFoundAndNothingEscapesTheBundle() {
        PagesHandler h = open();
        for (String uri : List.of("/nope", "/assets/", "/assets", "/assets/nope.js", "/watch/", "/watch", "/publish/",
                "/manifest.json", "/assets/../manifest.json", "/assets/%2e%2e/manifest.json", "/watch/../index.html",
                "/watch/a/./b", "/watch/a//b", "/publish/..", "/dev/jmoq/relay/pages/index.html", "/index.htm",
                "/assets/x/../../index.html", "/%2e%2e/%2e%2e/etc/passwd")) {
            FullHttpResponse r = request(h, HttpMethod.GET, uri);
            assertEquals(404, r.status().code(), uri);
            r.release();
        }
        FullHttpResponse post = request(h, HttpMethod.POST, "/");
        assertEquals(405, post.status().code());
        assertEquals("GET, HEAD", post.headers().get(HttpHeaderNames.ALLOW));
        post.release();
    }

    @Test
    void theAdminListenersHandlerHasNoPlayers() {
        PagesHandler admin = new PagesHandler(ASSETS, dashboard, null, false);
        FullHttpResponse r = request(admin, HttpMethod.GET, "/watch/x");
        assertEquals(404, r.status().code());
        r.release();
        FullHttpResponse data = request(admin, HttpMethod.GET, "/api/dashboard");
        assertEquals(200, data.status().code());
        assertEquals("no-store", data.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertTrue(body(data).startsWith("{\"time_ms\":1000,"));
    }

    @Test
    void withAKeyTheDataNeedsATokenForTheWholeRelay() throws Exception {
        JwtKey key = JwtKey.generate(JwtAlgorithm.ES256, null);
        Path file = dir.resolve("key.jwk");
        Files.writeString(file, key.toJwk(false).toString());
        Instant now = Instant.now();
        PagesHandler h = new PagesHandler(ASSETS, dashboard, DashboardAccess.of(
                new AuthOptions(file, List.of(), List.of(), List.of()), Clock.systemUTC()), true);
        String admin = Jwt.sign(new TokenClaims("", List.of(""), List.of(""), now.plusSeconds(60), now), key);
        String viewer = Jwt.sign(new TokenClaims("", List.of(), List.of(""), now.plusSeconds(60), now), key);
        String room = Jwt.sign(new TokenClaims("room", List.of(""), List.of(""), now.plusSeconds(60), now), key);
        String expired = Jwt.sign(new TokenClaims("", List.of(""), List.of(""), now.minusSeconds(60), now.minusSeconds(120)), key);
        String other = Jwt.sign(new TokenClaims("", List.of(""), List.of(""), now.plusSeconds(60), now),
                JwtKey.generate(JwtAlgorithm.ES256, null));

        assertEquals(401, status(h, null));
        assertEquals(401, status(h, "Basic abc"));
        assertEquals(401, status(h, "Bearer " + expired));
        assertEquals(401, status(h, "Bearer " + other));
        assertEquals(403, status(h, "Bearer " + viewer));
        assertEquals(403, status(h, "Bearer " + room));
        assertEquals(200, status(h, "Bearer " + admin));
        assertEquals(200, request(h, HttpMethod.GET, "/").status().code(), "the page itself is public");
    }

    @Test
    void publicPrefixesWithoutAKeyKeepTheDataOnTheAdminListener() {
        PagesHandler h = new PagesHandler(ASSETS, dashboard, DashboardAccess.of(
                new AuthOptions(null, List.of("demo"), List.of(), List.of()), Clock.systemUTC()), true);
        assertEquals(403, status(h, null));
    }

    private static int status(PagesHandler h, String authorization) {
        FullHttpResponse r = authorization == null ? request(h, HttpMethod.GET, "/api/dashboard")
                : request(h, HttpMethod.GET, "/api/dashboard", "Authorization", authorization);
        int code = r.status().code();
        r.release();
        return code;
    }
}
