package dev.jmoq.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class DashboardStateTest {
    private static final class Idle extends TrackSubscriber {
        Idle() {
            super(Runnable::run);
        }

        @Override
        protected void drain() {
        }
    }

    @Test
    void describesBroadcastsViewersSessionsLinksAndErrors() {
        Origin origin = new Origin();
        Broadcast b = new Broadcast("room/alice", new CacheConfig(4, Duration.ofSeconds(5), new ByteBudget(1 << 20)));
        origin.announce(b);
        Track video = b.createTrack("video");
        Track audio = b.createTrack("audio");
        // Two viewers of video and audio, one more of audio only: three viewers (the busiest track), five subscriptions.
        for (int i = 0; i < 2; i++) {
            video.subscribe(new Idle());
            audio.subscribe(new Idle());
        }
        audio.subscribe(new Idle());
        RecentErrors errors = new RecentErrors();
        LogRecord r = new LogRecord(Level.INFO, "event=session_refused reason=expired remote=/10.0.0.7:4433 detail=\"x\"");
        r.setLoggerName("jmoq.auth");
        errors.publish(r);
        List<SessionInfo> sessions = List.of(new SessionInfo("webtransport", "moq-lite-04", ""),
                new SessionInfo("webtransport", "moq-lite-04", "room"), new SessionInfo("quic", "moq-lite-03", ""));
        List<LinkInfo> links = List.of(new LinkInfo("moqt://origin:4443/", "upstream", true, 2));
        DashboardSources sources = new DashboardSources(origin, new Readiness(), () -> sessions, () -> links,
                () -> 100, () -> 200, errors, () -> 4443);
        RateHistory history = new RateHistory(origin, () -> 100, () -> 200, 5);
        DashboardState state = new DashboardState(sources, history);
        history.sample(0);
        history.sample(1000);

        JsonNode s = state.state(1000);
        JsonNode bc = s.path("broadcasts").get(0);
        assertEquals("room/alice", bc.path("path").asText());
        assertEquals(3, bc.path("viewers").asInt(), "the busiest track counts the viewers");
        assertEquals(5, bc.path("subscriptions").asInt());
        assertEquals(2, bc.path("tracks").size());
        assertEquals(3, s.path("sessions").path("total").asInt());
        JsonNode kinds = s.path("sessions").path("by_kind");
        assertEquals(2, kinds.size());
        assertEquals("quic", kinds.get(0).path("transport").asText());
        assertEquals(2, kinds.get(1).path("count").asInt());
        assertEquals("upstream", s.path("links").get(0).path("kind").asText());
        String error = s.path("errors").get(0).path("message").asText();
        assertTrue(error.startsWith("event=session_refused reason=expired"), error);
        assertFalse(error.contains("10.0.0.7"), "no peer address on the dashboard: " + error);
        assertEquals("ok", s.path("relay").path("status").asText());
        assertEquals(4443, s.path("relay").path("port").asInt());
        assertEquals(1, s.path("broadcasts_total").asInt());
        assertEquals(1.0, s.path("sample").path("t").asDouble());
        assertEquals(1, state.history(1000).path("samples").size());
        video.close();
        audio.close();
    }

    @Test
    void linkUrisNeverShowTheirToken() {
        assertEquals("moqt://origin:4443/room", LinkInfo.shown(java.net.URI.create("moqt://origin:4443/room?jwt=secret")));
        assertEquals("ws://origin:4443", LinkInfo.shown(java.net.URI.create("ws://origin:4443?jwt=secret")));
    }
}
