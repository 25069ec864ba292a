package dev.jmoq.relay.admin;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Bitrate and group rate over the last minutes, for the dashboard's charts: each {@link #sample} reads the
 * byte and group counters of every broadcast (summed over its tracks' {@link TrackStats}) and the relay's
 * ingress and egress byte counters, and keeps the rates since the previous sample. The newest
 * {@link #capacity} samples are kept; each holds at most {@link #MAX_BROADCASTS} broadcasts (the busiest by
 * bitrate), so memory is bounded whatever the number of broadcasts.
 *
 * <p>Not thread-safe for writers: one thread samples (the dashboard's ticker); {@link #samples()} and
 * {@link #latest()} may be read from any thread (they copy under the monitor).
 */
public final class RateHistory {
    /** Broadcasts kept per sample. */
    public static final int MAX_BROADCASTS = 50;

    /** Samples the group rate is averaged over: groups come every keyframe interval (often 2 s), not every second. */
    public static final int GROUP_RATE_WINDOW = 5;

    /**
     * The rates of one broadcast. Immutable.
     *
     * @param bitsPerSecond   payload bits received per second (all tracks), over the last interval
     * @param groupsPerSecond groups received per second (all tracks), over the last {@link #GROUP_RATE_WINDOW}
     *                        intervals (fewer while the history is shorter)
     */
    public record Rate(double bitsPerSecond, double groupsPerSecond) {
    }

    /**
     * One sample. Immutable.
     *
     * @param timeMillis     when it was taken, Unix milliseconds
     * @param ingressBps     payload bits per second received by the relay (all publishers)
     * @param egressBps      payload bits per second sent by the relay (all subscribers)
     * @param broadcasts     path to its rates, the busiest {@link #MAX_BROADCASTS}, by path
     */
    public record Sample(long timeMillis, double ingressBps, double egressBps, Map<String, Rate> broadcasts) {
        public Sample {
            broadcasts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(broadcasts));
        }
    }

    /** Totals of one broadcast at a sample. */
    private record Totals(long bytes, long groups) {
    }

    /** Every broadcast's totals at one time. */
    private record Snapshot(long timeMillis, Map<String, Totals> totals) {
    }

    private final Origin origin;
    private final LongSupplier ingressBytes;
    private final LongSupplier egressBytes;
    private final int capacity;
    private final ArrayDeque<Sample> samples;
    private Map<String, Totals> previous = Map.of();
    /** The last {@link #GROUP_RATE_WINDOW} snapshots before the newest, oldest first. */
    private final ArrayDeque<Snapshot> window = new ArrayDeque<>(GROUP_RATE_WINDOW);
    private long previousIngress;
    private long previousEgress;
    private long previousMillis = -1;

    /**
     * @param ingressBytes the relay's payload bytes received so far
     * @param egressBytes  the relay's payload bytes sent so far
     * @param capacity     samples kept (one a second: 300 is five minutes)
     */
    public RateHistory(Origin origin, LongSupplier ingressBytes, LongSupplier egressBytes, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.origin = origin;
        this.ingressBytes = ingressBytes;
        this.egressBytes = egressBytes;
        this.capacity = capacity;
        this.samples = new ArrayDeque<>(capacity);
    }

    /** A broadcast's payload bytes and groups received so far, summed over its tracks. */
    public static long[] totals(Broadcast b) {
        long bytes = 0;
        long groups = 0;
        for (Track t : b.tracks()) {
            bytes += t.stats().bytesIn.sum();
            groups += t.stats().groupsIn.sum();
        }
        return new long[] {bytes, groups};
    }

    /**
     * Takes a sample at {@code nowMillis}. The first call only records the counters (no rate yet) and
     * returns null; so does a call whose time is not after the previous one.
     */
    public Sample sample(long nowMillis) {
        Map<String, Totals> now = new HashMap<>();
        for (Broadcast b : origin.list("")) {
            long[] t = totals(b);
            now.put(b.path(), new Totals(t[0], t[1]));
        }
        long in = ingressBytes.getAsLong();
        long out = egressBytes.getAsLong();
        Sample s = null;
        if (previousMillis >= 0 && nowMillis > previousMillis) {
            double seconds = (nowMillis - previousMillis) / 1000.0;
            Snapshot oldest = window.isEmpty() ? new Snapshot(previousMillis, previous) : window.peekFirst();
            double windowSeconds = (nowMillis - oldest.timeMillis()) / 1000.0;
            List<Map.Entry<String, Rate>> rates = new ArrayList<>();
            for (Map.Entry<String, Totals> e : now.entrySet()) {
                Totals before = previous.getOrDefault(e.getKey(), new Totals(0, 0));
                Totals start = oldest.totals().getOrDefault(e.getKey(), new Totals(0, 0));
                // A track that left takes its counters with it: never report a negative rate.
                long bytes = Math.max(0, e.getValue().bytes() - before.bytes());
                long groups = Math.max(0, e.getValue().groups() - start.groups());
                rates.add(Map.entry(e.getKey(), new Rate(bytes * 8 / seconds, groups / windowSeconds)));
            }
            rates.sort(Comparator.<Map.Entry<String, Rate>>comparingDouble(e -> -e.getValue().bitsPerSecond())
                    .thenComparing(Map.Entry::getKey));
            Map<String, Rate> kept = new java.util.TreeMap<>();
            for (Map.Entry<String, Rate> e : rates.subList(0, Math.min(MAX_BROADCASTS, rates.size()))) {
                kept.put(e.getKey(), e.getValue());
            }
            s = new Sample(nowMillis, Math.max(0, in - previousIngress) * 8 / seconds,
                    Math.max(0, out - previousEgress) * 8 / seconds, kept);
            synchronized (this) {
                if (samples.size() == capacity) {
                    samples.removeFirst();
                }
                samples.addLast(s);
            }
        }
        if (previousMillis < 0 || nowMillis > previousMillis) {
            window.addLast(new Snapshot(nowMillis, now));
            if (window.size() > GROUP_RATE_WINDOW) {
                window.removeFirst();
            }
            previous = now;
            previousIngress = in;
            previousEgress = out;
            previousMillis = nowMillis;
        }
        return s;
    }

    /** The kept samples, oldest first. */
    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** The newest sample, or null before the second {@link #sample}. */
    public synchronized Sample latest() {
        return samples.peekLast();
    }
}
