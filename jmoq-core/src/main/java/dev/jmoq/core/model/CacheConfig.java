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
 * @param maxBytesPerTrack bytes one track's cache may hold, its newest group always kept; 0 for no cap
 *                   beyond {@code budget}
 * @param clock      the time groups are stamped with and aged by, in nanoseconds (as {@link System#nanoTime});
 *                   tests give a manual one
 */
public record CacheConfig(int maxGroups, Duration maxAge, ByteBudget budget, long maxBytesPerTrack, LongSupplier clock) {
    /** The clock of a running relay. */
    public static final LongSupplier SYSTEM_CLOCK = System::nanoTime;
    public static final int DEFAULT_MAX_GROUPS = 8;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);
    /** Hard cap on the ring size, so a configuration mistake cannot allocate a huge ring per track. */
    public static final int MAX_RING = 1 << 16;

    public CacheConfig {
        if (maxGroups < 1 || maxGroups > MAX_RING) {
            throw new IllegalArgumentException("maxGroups must be 1.." + MAX_RING + ": " + maxGroups);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        if (maxBytesPerTrack < 0) {
            throw new IllegalArgumentException("maxBytesPerTrack must be 0 or more: " + maxBytesPerTrack);
        }
        if (clock == null) {
            clock = SYSTEM_CLOCK;
        }
    }

    /** Bounds with no per-track byte cap, on the system clock. */
    public CacheConfig(int maxGroups, Duration maxAge, ByteBudget budget) {
        this(maxGroups, maxAge, budget, 0, SYSTEM_CLOCK);
    }

    public static CacheConfig defaults() {
        return new CacheConfig(DEFAULT_MAX_GROUPS, DEFAULT_MAX_AGE, ByteBudget.unlimited());
    }
}
