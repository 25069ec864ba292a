package dev.jmoq.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.relay.auth.RefusalReason;
import dev.jmoq.transport.TransportKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SessionStats sessions = new SessionStats();
    private final EgressStats egress = new EgressStats();
    private final ByteBudget budget = new ByteBudget(1 << 20);
    private final Origin origin = new Origin();
    private final Readiness readiness = new Readiness();
    private final CacheConfig cache = new CacheConfig(4, Duration.ofSeconds(5), budget);
    private RelayMetrics metrics;
    private AdminServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        metrics = new RelayMetrics(sessions, egress, budget, origin, 2);
        server = AdminServer.start(new AdminOptions(true, "127.0.0.1", 0, 2), metrics, readiness, origin);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final class Idle extends TrackSubscriber {
        Idle() {
            super(Runnable::run);
        }

        @Override
        protected void drain() {
        }
    }

    private Broadcast broadcast(String path, int tracks, int subscribersPerTrack) {
        Broadcast b = new Broadcast(path, cache);
        for (int i = 0; i < tracks; i++) {
            Track t = b.createTrack("t" + i);
            for (int s = 0; s < subscribersPerTrack; s++) {
                t.subscribe(new Idle());
            }
        }
        origin.announce(b);
        return b;
    }

    @Test
    void healthAndLivenessAnswer() throws Exception {
        HttpResponse<String> r = get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode h = JSON.readTree(r.body());
        assertEquals("ok", h.get("status").asText());
        assertTrue(h.get("ready").asBoolean());
        r = get("/health/live");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void readinessFollowsDrainingAndRegisteredChecks() throws Exception {
        assertEquals(200, get("/health/ready").statusCode());
        Readiness.Check upstream = readiness.register("upstream:origin.example", false);
        HttpResponse<String> r = get("/health/ready");
        assertEquals(503, r.statusCode());
        assertEquals("starting", JSON.readTree(r.body()).get("failing").get("upstream:origin.example").asText());
        upstream.ready();
        assertEquals(200, get("/health/ready").statusCode());
        upstream.notReady("connection refused");
        assertEquals("not_ready", JSON.readTree(get("/health").body()).get("status").asText());
        assertEquals("connection refused",
                JSON.readTree(get("/health").body()).get("checks").get("upstream:origin.example").asText());
        upstream.close();
        assertEquals(200, get("/health/ready").statusCode());
        readiness.setDraining(true);
        r = get("/health/ready");
        assertEquals(503, r.statusCode());
        assertTrue(JSON.readTree(r.body()).get("draining").asBoolean());
        assertEquals("draining", JSON.readTree(get("/health").body()).get("status").asText());
        assertEquals(200, get("/health/live").statusCode());
    }

    @Test
    void metricsExposeTheStatsInPrometheusText() throws Exception {
        sessions.sessionsOpened.add(5);
        sessions.sessionsClosed.add(2);
        sessions.bytesIn.add(1234);
        egress.groupsResetLagging.add(3);
        metrics.onRefused(RefusalReason.EXPIRED);
        metrics.onRefused(RefusalReason.EXPIRED);
        metrics.limitViolated(LimitKind.SESSIONS_PER_ADDRESS);
        metrics.handshakeTimer(TransportKind.WEBTRANSPORT).record(Duration.ofMillis(12));
        broadcast("room/alice", 2, 3);
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String m = r.body();
        assertTrue(m.contains("jmoq_sessions_opened_total 5.0"), m);
        assertTrue(m.contains("jmoq_sessions_active 3.0"), m);
        assertTrue(m.contains("jmoq_ingress_bytes_total 1234.0"), m);
        assertTrue(m.contains("jmoq_egress_groups_reset_lagging_total 3.0"), m);
        assertTrue(m.contains("jmoq_auth_refusals_total{reason=\"expired\"} 2.0"), m);
        assertTrue(m.contains("jmoq_auth_refusals_total{reason=\"bad_signature\"} 0.0"), m);
        assertTrue(m.contains("jmoq_limit_violations_total{kind=\"sessions_per_address\"} 1.0"), m);
        assertTrue(m.contains("jmoq_handshake_seconds_count{transport=\"webtransport\"} 1"), m);
        assertTrue(m.contains("jmoq_handshake_seconds_bucket{transport=\"webtransport\",le="), m);
        assertTrue(m.contains("jmoq_cache_limit_bytes 1048576.0"), m);
        assertTrue(m.contains("jmoq_broadcasts 1.0"), m);
        assertTrue(m.contains("jmoq_broadcast_tracks{path=\"room/alice\"} 2.0"), m);
        assertTrue(m.contains("jmoq_broadcast_subscribers{path=\"room/alice\"} 6.0"), m);
    }

    @Test
    void perBroadcastSeriesAreCappedAndTheRestSummed() throws Exception {
        broadcast("a", 1, 5);
        broadcast("b", 1, 4);
        broadcast("c", 1, 1);
        Broadcast d = broadcast("d", 2, 1);
        String m = get("/metrics").body();
        assertTrue(m.contains("jmoq_broadcast_subscribers{path=\"a\"} 5.0"), m);
        assertTrue(m.contains("jmoq_broadcast_subscribers{path=\"b\"} 4.0"), m);
        assertFalse(m.contains("path=\"c\""), m);
        assertTrue(m.contains("jmoq_broadcast_subscribers{path=\"_other\"} 3.0"), m);
        assertTrue(m.contains("jmoq_broadcast_tracks{path=\"_other\"} 3.0"), m);
        d.close();
        origin.withdraw(d);
        m = get("/metrics").body();
        assertTrue(m.contains("jmoq_broadcast_subscribers{path=\"_other\"} 1.0"), m);
    }

    @Test
    void announcedListsActiveBroadcastsUnderAPrefix() throws Exception {
        broadcast("room/alice", 1, 2);
        broadcast("room/bob", 0, 0);
        broadcast("roomy/carol", 0, 0);
        JsonNode all = JSON.readTree(get("/announced").body());
        assertEquals(3, all.get("broadcasts").size());
        JsonNode room = JSON.readTree(get("/announced/room").body());
        assertEquals("room", room.get("prefix").asText());
        assertEquals(2, room.get("broadcasts").size());
        assertEquals("room/alice", room.get("broadcasts").get(0).get("path").asText());
        assertEquals("alice", room.get("broadcasts").get(0).get("suffix").asText());
        assertEquals(1, room.get("broadcasts").get(0).get("tracks").asInt());
        assertEquals(2, room.get("broadcasts").get(0).get("subscribers").asInt());
        assertEquals(0, JSON.readTree(get("/announced/nobody").body()).get("broadcasts").size());
    }

    @Test
    void onlyGetAndHeadAreServed() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/health")).POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
    }
}
