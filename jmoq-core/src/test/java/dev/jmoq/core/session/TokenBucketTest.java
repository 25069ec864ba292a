package dev.jmoq.core.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The subscribe rate limit's token bucket, on a manual clock. */
class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(42);

    @Test
    void aFullBucketAllowsOneSecondsBurstThenRefillsAtTheRate() {
        TokenBucket b = new TokenBucket(10, now::get);
        for (int i = 0; i < 10; i++) {
            assertTrue(b.take(), "burst " + i);
        }
        assertFalse(b.take(), "the burst is spent");
        now.addAndGet(99_000_000L); // 0.99 tokens
        assertFalse(b.take());
        now.addAndGet(1_000_000L); // 1.0
        assertTrue(b.take());
        assertFalse(b.take());
    }

    @Test
    void aLongPauseRefillsOnlyUpToTheBurst() {
        TokenBucket b = new TokenBucket(3, now::get);
        now.addAndGet(3_600_000_000_000L);
        int taken = 0;
        while (b.take()) {
            taken++;
        }
        assertTrue(taken == 3, "took " + taken);
    }

    @Test
    void aRateOfZeroIsNoLimit() {
        TokenBucket b = new TokenBucket(0, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(b.take());
        }
    }
}
