package dev.jmoq.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * The load generator's paced ramp: opens {@code count} connections at {@code perSecond} a second at most,
 * hands each one that succeeds to a callback (on whatever thread completed it), counts successes and
 * failures (the first twenty distinct failure causes are kept and printed), and waits for them all, bounded
 * by a deadline.
 *
 * @param <C> what a connection attempt yields (a session, a connection)
 */
final class Ramp<C> {
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final int count;
    private final int perSecond;
    private final long deadline;
    private final PrintStream progress;

    Ramp(int count, int perSecond, long deadlineNanos, PrintStream progress) {
        this.count = count;
        this.perSecond = perSecond;
        this.deadline = deadlineNanos;
        this.progress = progress;
    }

    /**
     * Opens the connections, {@code dial.apply(i)} for the i-th, and returns those that succeeded before the
     * deadline, in order; {@code onConnected} gets each success with its index.
     */
    List<C> run(IntFunction<CompletableFuture<C>> dial, BiConsumer<Integer, C> onConnected) throws InterruptedException {
        long pace = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perSecond);
        long next = System.nanoTime();
        List<CompletableFuture<C>> pending = new ArrayList<>();
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            int index = i;
            pending.add(dial.apply(i).whenComplete((c, err) -> {
                if (err != null) {
                    failed.incrementAndGet();
                    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                    if (failures.size() < 20) {
                        failures.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
                    }
                    return;
                }
                connected.incrementAndGet();
                onConnected.accept(index, c);
            }));
            next += pace;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
            if (i % 100 == 99) {
                progress.printf(Locale.ROOT, "ramp: %d/%d connected, %d failed%n", connected.get(), count, failed.get());
            }
        }
        List<C> done = new ArrayList<>();
        for (CompletableFuture<C> f : pending) {
            try {
                done.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (Exception e) {
                // counted as failed
            }
        }
        failures.forEach((why, n) -> progress.printf(Locale.ROOT, "connect failed %d times: %s%n", n, why));
        return done;
    }
}
