package dev.jmoq.relay.cluster;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: each failure doubles the delay up to the cap, and each delay is
 * drawn uniformly from [delay/2, delay] so links that dropped together do not re-dial together. A success
 * resets it. Not thread-safe: one link, one event loop.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt, and advances the schedule. */
    public long nextDelayMillis() {
        long base = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /** Back to the initial delay (after a link stayed up). */
    public void reset() {
        nextMillis = initialMillis;
    }
}
