package dev.jmoq.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * The load generator's measured window: opens the {@link Delivery}'s window, reads the relay's (or raw
 * sender's) CPU ticks and this process's CPU time at both ends, prints a progress line a second, and sums
 * the latency histogram. One use: {@link #open}, {@link #runFor}, {@link #close}.
 */
final class MeasuredWindow {
    private final Delivery delivery;
    private final Long relayPid;
    private final IntSupplier connected;
    private final PrintStream progress;
    private final Histogram total = new Histogram(3_600_000_000_000L, 3);
    private long relayTicksBefore;
    private long relayTicksAfter;
    private long ownBefore;
    private long ownAfter;

    /** @param relayPid the process whose CPU is read from /proc, or null for none */
    MeasuredWindow(Delivery delivery, Long relayPid, IntSupplier connected, PrintStream progress) {
        this.delivery = delivery;
        this.relayPid = relayPid;
        this.connected = connected;
        this.progress = progress;
    }

    /** Starts counting frames and CPU now. */
    void open() {
        delivery.startWindow();
        relayTicksBefore = relayPid == null ? 0 : ProcStats.cpuTicks(relayPid);
        ownBefore = ProcStats.ownCpuNanos();
    }

    /** Prints progress once a second until {@code endNanos}; then reads the CPU counters. */
    void runFor(long endNanos) throws InterruptedException {
        long started = System.nanoTime();
        while (System.nanoTime() < endNanos) {
            Thread.sleep(Math.min(1000, Math.max(1, (endNanos - System.nanoTime()) / 1_000_000)));
            total.add(delivery.latency.getIntervalHistogram());
            double secs = (System.nanoTime() - started) / 1e9;
            progress.printf(Locale.ROOT, "t=%.0fs subscribers=%d frames/s=%.0f p99=%.1fms%n", secs, connected.getAsInt(),
                    delivery.received.sum() / Math.max(0.001, secs), total.getValueAtPercentile(99) / 1e6);
        }
        relayTicksAfter = relayPid == null ? 0 : ProcStats.cpuTicks(relayPid);
        ownAfter = ProcStats.ownCpuNanos();
    }

    /** The whole window's latency histogram, including frames that arrived since {@link #runFor} returned. */
    Histogram close() {
        total.add(delivery.latency.getIntervalHistogram());
        return total;
    }

    /** The relay's CPU seconds over the window; -1 when no pid was given. */
    double relayCpuSeconds() {
        return relayPid == null ? -1 : (relayTicksAfter - relayTicksBefore) / (double) ProcStats.TICKS;
    }

    /** This process's CPU seconds over the window. */
    double ownCpuSeconds() {
        return (ownAfter - ownBefore) / 1e9;
    }
}
