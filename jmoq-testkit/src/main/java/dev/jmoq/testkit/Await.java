package dev.jmoq.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a positive signal in tests: a condition (a counter reached, a future done, a path listed)
 * polled every 10 ms until it holds, or a failure naming what never happened once {@code limit} passed.
 * The limit is a safety net for a broken build, never the thing a test measures.
 */
public final class Await {
    /** The default safety net. */
    public static final Duration LIMIT = Duration.ofSeconds(20);

    private Await() {
    }

    /** Waits until {@code condition} holds; fails with {@code what} after {@link #LIMIT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, LIMIT, condition);
    }

    /** Waits until {@code condition} holds; fails with {@code what} after {@code limit}. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
