package dev.jmoq.core.model;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Bounds of one track's group cache.
 *
 * @param maxGroups  groups kept per track, counted as a window of sequence numbers below the newest
 *                   (default 8); rounded up to a power of two for the ring
 * @param maxAge     groups older than this (since their first byte arrived) are evicted, except the
 *                   newest, which is always kept (default 5 s)
 * @param budget     the relay-wide byte budget shared by all tracks
 * @param nanoClock  the monotonic clock, in nanoseconds, that stamps groups and ages them
 *                   ({@code System::nanoTime}; tests inject their own)
 */
public record CacheConfig(int maxGroups, Duration maxAge, ByteBudget budget, LongSupplier nanoClock) {
    public static final int DEFAULT_MAX_GROUPS = 8;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);
    /** Hard cap on the ring size, so a configuration mistake cannot allocate a huge ring per track. */
    public static final int MAX_RING = 1 << 16;

    /** Bounds with the system's monotonic clock. */
    public CacheConfig(int maxGroups, Duration maxAge, ByteBudget budget) {
        this(maxGroups, maxAge, budget, System::nanoTime);
    }

    public CacheConfig {
        java.util.Objects.requireNonNull(nanoClock, "nanoClock");
        if (maxGroups < 1 || maxGroups > MAX_RING) {
            throw new IllegalArgumentException("maxGroups must be 1.." + MAX_RING + ": " + maxGroups);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
    }

    /** The same bounds read against another clock (tests of age eviction). */
    public CacheConfig withClock(LongSupplier clock) {
        return new CacheConfig(maxGroups, maxAge, budget, clock);
    }

    public static CacheConfig defaults() {
        return new CacheConfig(DEFAULT_MAX_GROUPS, DEFAULT_MAX_AGE, ByteBudget.unlimited());
    }
}
