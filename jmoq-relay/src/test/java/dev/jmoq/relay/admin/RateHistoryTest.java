package dev.jmoq.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateHistoryTest {
    private final CacheConfig cache = new CacheConfig(64, Duration.ofMinutes(5), new ByteBudget(64 << 20));
    private final Origin origin = new Origin();
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();

    private static void publish(Track t, long sequence, int frames, int size) {
        Group g = t.createGroup(sequence);
        for (int i = 0; i < frames; i++) {
            g.append(Unpooled.wrappedBuffer(new byte[size]));
        }
        g.finish();
    }

    @Test
    void ratesAreTheCountersDeltasOverTheInterval() {
        Broadcast b = new Broadcast("room/alice", cache);
        origin.announce(b);
        Track video = b.createTrack("video");
        Track audio = b.createTrack("audio");
        RateHistory h = new RateHistory(origin, in::get, out::get, 10);
        assertNull(h.sample(1_000), "the first sample only records the counters");

        publish(video, 0, 3, 1000); // 3000 bytes
        publish(audio, 0, 1, 500);
        publish(audio, 1, 1, 500); // 1000 bytes, 3 groups in all
        in.addAndGet(4000);
        out.addAndGet(8000);
        RateHistory.Sample s = h.sample(3_000); // two seconds later
        RateHistory.Rate r = s.broadcasts().get("room/alice");
        assertEquals(4000 * 8 / 2.0, r.bitsPerSecond(), 1e-9);
        assertEquals(3 / 2.0, r.groupsPerSecond(), 1e-9);
        assertEquals(16_000, s.ingressBps(), 1e-9);
        assertEquals(32_000, s.egressBps(), 1e-9);

        RateHistory.Sample quiet = h.sample(4_000);
        assertEquals(0, quiet.broadcasts().get("room/alice").bitsPerSecond(), "bitrate: the last interval only");
        assertEquals(3 / 3.0, quiet.broadcasts().get("room/alice").groupsPerSecond(), 1e-9,
                "group rate: averaged since the oldest of the window's samples");
        assertEquals(2, h.samples().size());
        for (long t = 5_000; t <= 7_000; t += 1_000) {
            h.sample(t);
        }
        // Five intervals back from 7000 is the snapshot at 1000 (samples at 1000, 3000, 4000, 5000, 6000, 7000).
        assertEquals(3 / 6.0, h.latest().broadcasts().get("room/alice").groupsPerSecond(), 1e-9, "window 1000..7000");
        h.sample(8_000);
        assertEquals(0, h.latest().broadcasts().get("room/alice").groupsPerSecond(), "the groups left the window");
        video.close();
        audio.close();
    }

    @Test
    void keepsTheNewestSamplesOnlyAndIgnoresTimeGoingBackwards() {
        RateHistory h = new RateHistory(origin, in::get, out::get, 3);
        for (long t = 0; t <= 5_000; t += 1_000) {
            h.sample(t);
        }
        assertEquals(3, h.samples().size());
        assertEquals(5_000, h.latest().timeMillis());
        assertEquals(3_000, h.samples().get(0).timeMillis());
        assertNull(h.sample(4_000));
        assertEquals(5_000, h.latest().timeMillis());
    }

    @Test
    void keepsOnlyTheBusiestBroadcastsInASample() {
        RateHistory h = new RateHistory(origin, in::get, out::get, 2);
        h.sample(0);
        int n = RateHistory.MAX_BROADCASTS + 5;
        for (int i = 0; i < n; i++) {
            Broadcast b = new Broadcast("b/" + i, cache);
            origin.announce(b);
            publish(b.createTrack("t"), 0, 1, 10 + i);
        }
        RateHistory.Sample s = h.sample(1_000);
        assertEquals(RateHistory.MAX_BROADCASTS, s.broadcasts().size());
        assertNull(s.broadcasts().get("b/0"), "the quietest broadcasts are left out");
        assertEquals((10 + n - 1) * 8.0, s.broadcasts().get("b/" + (n - 1)).bitsPerSecond(), 1e-9);
        for (var b : origin.list("")) {
            b.close();
        }
    }
}
