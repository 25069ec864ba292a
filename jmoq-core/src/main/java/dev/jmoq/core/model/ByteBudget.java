package dev.jmoq.core.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A relay-wide cap on the bytes held by group caches. Tracks charge the bytes of every frame they cache
 * and credit them back on eviction; a track whose append finds the budget exceeded evicts its own oldest
 * groups (never its newest) until the budget holds again ("the appender pays"), so a busy track cannot
 * be starved by an idle one holding memory it no longer needs, and no global lock is taken.
 *
 * <p>A budget may have a parent (a track's own cap inside the relay-wide budget): what it is charged is
 * charged to the parent too, and it is exceeded when it or its parent is.
 *
 * <p>Thread-safe and lock-free.
 */
public final class ByteBudget {
    private final long limit;
    private final ByteBudget parent;
    private final AtomicLong used = new AtomicLong();

    /** @param limit bytes; {@code Long.MAX_VALUE} for no cap */
    public ByteBudget(long limit) {
        this(limit, null);
    }

    /**
     * @param limit  bytes; {@code Long.MAX_VALUE} for no cap
     * @param parent the budget this one is part of, or null
     */
    public ByteBudget(long limit, ByteBudget parent) {
        if (limit <= 0) {
            throw new IllegalArgumentException("byte budget must be positive: " + limit);
        }
        this.limit = limit;
        this.parent = parent;
    }

    public static ByteBudget unlimited() {
        return new ByteBudget(Long.MAX_VALUE);
    }

    void charge(long bytes) {
        used.addAndGet(bytes);
        if (parent != null) {
            parent.charge(bytes);
        }
    }

    void credit(long bytes) {
        used.addAndGet(-bytes);
        if (parent != null) {
            parent.credit(bytes);
        }
    }

    /** True when this budget, or its parent, holds more than its limit. */
    public boolean exceeded() {
        return used.get() > limit || (parent != null && parent.exceeded());
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
