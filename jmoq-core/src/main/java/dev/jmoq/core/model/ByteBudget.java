package dev.jmoq.core.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A relay-wide cap on the bytes held by group caches. Tracks charge the bytes of every frame they cache
 * and credit them back on eviction; a track whose append finds the budget exceeded evicts its own oldest
 * groups (never its newest) until the budget holds again ("the appender pays"), so a busy track cannot
 * be starved by an idle one holding memory it no longer needs, and no global lock is taken.
 *
 * <p>Thread-safe and lock-free.
 */
public final class ByteBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit bytes; {@code Long.MAX_VALUE} for no cap */
    public ByteBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("byte budget must be positive: " + limit);
        }
        this.limit = limit;
    }

    public static ByteBudget unlimited() {
        return new ByteBudget(Long.MAX_VALUE);
    }

    void charge(long bytes) {
        used.addAndGet(bytes);
    }

    void credit(long bytes) {
        used.addAndGet(-bytes);
    }

    public boolean exceeded() {
        return used.get() > limit;
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
