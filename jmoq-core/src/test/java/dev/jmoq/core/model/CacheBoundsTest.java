package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The per-track byte cap ({@code cache.max_bytes_per_track}) inside the relay-wide budget, and group ages
 * measured by the cache's injected clock.
 */
class CacheBoundsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private CacheConfig config(ByteBudget relay, long perTrack, Duration maxAge) {
        return new CacheConfig(64, maxAge, relay, perTrack, now::get);
    }

    @Test
    void aTrackBeyondItsOwnCapEvictsItsOldestGroupsAndKeepsTheNewest() {
        ByteBudget relay = new ByteBudget(1 << 20);
        Track t = new Track("v", null, config(relay, 1000, Duration.ofHours(1)));
        Group a = Frames.publish(t, 0, 1, 400);
        Group b = Frames.publish(t, 1, 1, 400);
        assertEquals(800, t.cachedBytes());
        Group c = Frames.publish(t, 2, 1, 400);
        assertTrue(a.isEvicted(), "1200 bytes is over the track's 1000");
        assertFalse(b.isEvicted());
        assertEquals(800, t.cachedBytes());
        assertEquals(800, relay.used(), "the relay-wide budget is charged the same bytes");
        assertEquals(1, t.stats().groupsEvictedForBudget.sum());
        Group big = Frames.publish(t, 3, 3, 1000);
        assertTrue(b.isEvicted() && c.isEvicted());
        assertSame(big, t.latest(), "the newest group stays even alone over the cap");
        t.clear();
        assertEquals(0, relay.used());
    }

    @Test
    void theCapOfOneTrackLeavesOtherTracksAlone() {
        ByteBudget relay = new ByteBudget(1 << 20);
        Track capped = new Track("a", null, config(relay, 500, Duration.ofHours(1)));
        Track other = new Track("b", null, config(relay, 500, Duration.ofHours(1)));
        Group held = Frames.publish(other, 0, 1, 400);
        Frames.publish(capped, 0, 1, 400);
        Frames.publish(capped, 1, 1, 400);
        assertFalse(held.isEvicted());
        assertEquals(800, relay.used());
        capped.clear();
        other.clear();
    }

    @Test
    void theRelayWideBudgetStillAppliesUnderAPerTrackCap() {
        ByteBudget relay = new ByteBudget(1000);
        Track t = new Track("v", null, config(relay, 1 << 20, Duration.ofHours(1)));
        Group a = Frames.publish(t, 0, 1, 600);
        Frames.publish(t, 1, 1, 600);
        assertTrue(a.isEvicted());
        t.clear();
    }

    @Test
    void zeroMeansNoPerTrackCapAndNegativeIsRefused() {
        Track t = new Track("v", null, config(ByteBudget.unlimited(), 0, Duration.ofHours(1)));
        for (int s = 0; s < 10; s++) {
            Frames.publish(t, s, 1, 10_000);
        }
        assertEquals(0, t.stats().groupsEvictedForBudget.sum());
        t.clear();
        assertThrows(IllegalArgumentException.class, () -> config(ByteBudget.unlimited(), -1, Duration.ofHours(1)));
    }

    @Test
    void groupAgesFollowTheInjectedClock() {
        Track t = new Track("v", null, config(ByteBudget.unlimited(), 0, Duration.ofSeconds(5)));
        Group a = Frames.publish(t, 0, 1, 10);
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        Group b = Frames.publish(t, 1, 1, 10);
        t.sweep(now.get());
        assertFalse(a.isEvicted(), "3 s old");
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        t.sweep(now.get());
        assertTrue(a.isEvicted(), "6 s old by the clock");
        assertFalse(b.isEvicted(), "3 s old, and the newest");
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        Group c = Frames.publish(t, 2, 1, 10);
        assertTrue(b.isEvicted(), "a creation ages the cache by the same clock");
        assertSame(c, t.latest());
        t.clear();
    }
}
