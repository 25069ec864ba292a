package dev.jmoq.core.session.lite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-session subscribe rate: a burst of one second's worth, then the sustained rate. */
class SubscribeRateTest {
    private long now = 1_000_000_000L;

    @Test
    void aBurstOfOneSecondsWorthThenRefusal() {
        SubscribeRate rate = new SubscribeRate(3, () -> now);
        assertTrue(rate.take());
        assertTrue(rate.take());
        assertTrue(rate.take());
        assertFalse(rate.take());
    }

    @Test
    void tokensRefillAtTheRateAndNoFurtherThanTheBurst() {
        SubscribeRate rate = new SubscribeRate(2, () -> now);
        assertTrue(rate.take());
        assertTrue(rate.take());
        assertFalse(rate.take());
        now += 500_000_000L; // half a second at 2/s: one token
        assertTrue(rate.take());
        assertFalse(rate.take());
        now += 60_000_000_000L; // a minute idle refills only to the burst of 2
        assertTrue(rate.take());
        assertTrue(rate.take());
        assertFalse(rate.take());
    }

    @Test
    void zeroMeansNoLimit() {
        SubscribeRate rate = new SubscribeRate(0, () -> now);
        for (int i = 0; i < 1000; i++) {
            assertTrue(rate.take());
        }
    }
}
