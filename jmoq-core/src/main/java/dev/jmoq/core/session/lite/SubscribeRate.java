package dev.jmoq.core.session.lite;

import java.util.function.LongSupplier;

/**
 * The subscribe rate a session's peer may use: a token bucket that holds one second's worth of
 * subscribes and refills continuously at {@code perSecond}. Not thread-safe (the session's event loop).
 */
final class SubscribeRate {
    private final double perSecond;
    private final LongSupplier nanoClock;
    /** Tokens available, and when they were last refilled; -1 before the first take. */
    private double tokens = -1;
    private long refillNanos;

    /**
     * @param perSecond sustained subscribes per second (also the burst); 0 or less for no limit
     * @param nanoClock a monotonic clock in nanoseconds ({@link System#nanoTime} in production)
     */
    SubscribeRate(double perSecond, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
    }

    /** Takes one subscribe; false when the rate is exceeded. */
    boolean take() {
        if (perSecond <= 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (tokens < 0) {
            tokens = perSecond; // a burst of one second's worth
        } else {
            tokens = Math.min(perSecond, tokens + (now - refillNanos) * perSecond / 1e9);
        }
        refillNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
