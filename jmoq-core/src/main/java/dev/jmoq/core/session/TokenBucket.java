package dev.jmoq.core.session;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code rate} tokens a second, holding at most {@code rate} (a burst of one second's worth),
 * full at the start. Used for the subscribe rate limit of a session ({@code limits.subscribes_per_second}).
 *
 * <p>Not thread-safe: one session's event loop takes from it.
 */
public final class TokenBucket {
    private final double rate;
    private final LongSupplier clock;
    private double tokens;
    private long refilledNanos;

    /**
     * @param rate  tokens per second; 0 or less for no limit ({@link #take} always succeeds)
     * @param clock the time in nanoseconds (as {@link System#nanoTime}); tests give a manual one
     */
    public TokenBucket(double rate, LongSupplier clock) {
        this.rate = rate;
        this.clock = clock;
        this.tokens = rate;
        this.refilledNanos = clock.getAsLong();
    }

    /** Takes one token; false when none is left (the rate is exceeded). */
    public boolean take() {
        if (rate <= 0) {
            return true;
        }
        long now = clock.getAsLong();
        tokens = Math.min(rate, tokens + (now - refilledNanos) * rate / 1e9);
        refilledNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
