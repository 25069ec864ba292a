package dev.jmoq.cli;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * What the load generator's subscribers received inside the measured window: frames counted, their delivery
 * latency (nanoseconds, in an HdrHistogram {@link Recorder}), and the range of frame numbers seen. A frame
 * counts when its send stamp ({@link System#nanoTime} of the sender, comparable across processes on one
 * Linux machine) lies in the window: at or after its start and, once an end is set, before its end.
 * Thread-safe: every subscriber's event loop records into it.
 */
final class Delivery {
    final Recorder latency = new Recorder(3_600_000_000_000L, 3);
    final LongAdder received = new LongAdder();
    // Frames stamped before this instant are warm-up: neither counted nor timed. Set before the window.
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime() + Long.MAX_VALUE / 2);
    private final AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
    private final LongAccumulator lowest = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator highest = new LongAccumulator(Math::max, -1);
    private volatile boolean ended;

    /** Opens the window now and forgets everything recorded before. */
    void startWindow() {
        windowStart.set(System.nanoTime());
        latency.getIntervalHistogram();
        received.reset();
        lowest.reset();
        highest.reset();
    }

    /** Frames stamped from now on are not counted (for a sender that goes on sending after the window). */
    void endWindow() {
        windowEnd.set(System.nanoTime());
        ended = true;
    }

    /** A frame stamped {@code sentNanos}, number {@code frame}, arrived now. */
    void frame(long sentNanos, long frame) {
        if (sentNanos - windowStart.get() < 0 || (ended && sentNanos - windowEnd.get() >= 0)) {
            return;
        }
        latency.recordValue(Math.max(0, System.nanoTime() - sentNanos));
        received.increment();
        lowest.accumulate(frame);
        highest.accumulate(frame);
    }

    /**
     * Waits for the window's frames still on their way: until the {@code expected} count (read again at each
     * step: for a raw leg it grows as later frame numbers arrive) was received, or none came for
     * {@code quietMillis}, or {@code maxMillis} passed. A frame that arrives late counts, with its
     * latency; one that never comes is loss. (A fixed pause cut off frames that a loaded machine delivered
     * a little late, and counted them lost.)
     */
    void awaitStragglers(java.util.function.LongSupplier expected, long quietMillis, long maxMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        long seen = received.sum();
        long lastChange = System.nanoTime();
        while (seen < expected.getAsLong() && System.nanoTime() < deadline && System.nanoTime() - lastChange < quietMillis * 1_000_000) {
            Thread.sleep(20);
            long now = received.sum();
            if (now != seen) {
                seen = now;
                lastChange = System.nanoTime();
            }
        }
    }

    /** Distinct frame numbers the window's frames span (highest less lowest plus one); 0 when none came. */
    long framesSpanned() {
        long hi = highest.get();
        return hi < 0 ? 0 : hi - lowest.get() + 1;
    }
}
