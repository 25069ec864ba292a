package dev.jmoq.cli;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jmoq loadgen}: many subscribers (and a few publishers) against a relay, with a workload profile.
 * Publishers stamp each frame with its send time (this process's monotonic clock); subscribers record
 * the delivery latency in an HdrHistogram. Connections ramp up at a bounded rate; the run stops by itself
 * (its duration, and a hard timeout). The last line of stdout is one JSON object with the results.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "Load a relay with many subscribers and measure delivery latency and loss.")
public final class LoadgenCommand implements Callable<Integer> {
    /** Workload profiles. */
    enum Profile {
        /** 30 fps, 1200-byte frames, one frame per group. */
        audio(30, 1200, 1),
        /** 30 fps, a 60-frame GOP per group, 3 Mbit/s (12.5 kB frames). */
        video(30, 12_500, 60),
        /** One 64-byte group per second: idle sessions. */
        hold(1, 64, 1);

        final double fps;
        final int frameSize;
        final int framesPerGroup;

        Profile(double fps, int frameSize, int framesPerGroup) {
            this.fps = fps;
            this.frameSize = frameSize;
            this.framesPerGroup = framesPerGroup;
        }
    }

    @Mixin
    ConnectOptions connect;

    @Option(names = "--publish-url", description = "Publishers connect here instead of --url (to measure a chain of relays).")
    URI publishUrl;

    @Option(names = "--profile", description = "audio, video or hold (default: ${DEFAULT-VALUE}).", defaultValue = "audio")
    Profile profile;

    @Option(names = "--subscribers", description = "Subscriber sessions (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int subscribers;

    @Option(names = "--publishers", description = "Publisher sessions, one broadcast each; subscribers spread over them (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int publishers;

    @Option(names = "--duration", description = "How long publishers send after every subscriber is in (default: ${DEFAULT-VALUE}).",
            defaultValue = "PT20S")
    Duration duration;

    @Option(names = "--ramp", description = "New connections per second while ramping up (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int ramp;

    @Option(names = "--fps", description = "Override the profile's frames per second.")
    Double fps;

    @Option(names = "--frame-size", description = "Override the profile's frame size in bytes (at least 16).")
    Integer frameSize;

    @Option(names = "--frames-per-group", description = "Override the profile's frames per group.")
    Integer framesPerGroup;

    @Option(names = "--warmup", description = "Publish this long before measuring, so that both JVMs run compiled code "
            + "(default: ${DEFAULT-VALUE}; PT0S for none).", defaultValue = "PT5S")
    Duration warmup;

    @Option(names = "--threads", description = "Client event loops (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int threads;

    @Option(names = "--relay-pid", description = "Report this process's CPU seconds and peak RSS (Linux /proc).")
    Long relayPid;

    @Option(names = "--timeout", description = "Hard bound on the whole run (default: ${DEFAULT-VALUE}).", defaultValue = "PT10M")
    Duration timeout;

    /** Runs the load and returns the result (for tests: no printing of the JSON). */
    Result run(PrintStream progress) throws Exception {
        double rate = fps != null ? fps : profile.fps;
        int size = Math.max(16, frameSize != null ? frameSize : profile.frameSize);
        int perGroup = Math.max(1, framesPerGroup != null ? framesPerGroup : profile.framesPerGroup);
        long hardDeadline = System.nanoTime() + timeout.toNanos();
        String runId = Long.toHexString(System.nanoTime() & 0xffffffL);
        Recorder latency = new Recorder(3_600_000_000_000L, 3);
        LongAdder received = new LongAdder();
        LongAdder ended = new LongAdder();
        // Frames stamped before this instant are warm-up: neither counted nor timed. Set before the window.
        AtomicLong windowStart = new AtomicLong(System.nanoTime() + Long.MAX_VALUE / 2);
        try (MoqClient client = connect.client(threads)) {
            // Publishers.
            List<ClientSession> pubSessions = new ArrayList<>();
            List<Track> tracks = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                ClientSession s = client.connect(publishUrl != null ? publishUrl : connect.url).get(15, TimeUnit.SECONDS);
                pubSessions.add(s);
                String path = "loadgen/" + runId + "/" + p;
                CompletableFuture<Track> t = new CompletableFuture<>();
                s.executor().execute(() -> t.complete(s.publish(path).createTrack("t")));
                tracks.add(t.get(10, TimeUnit.SECONDS));
            }
            if (publishUrl != null) {
                Thread.sleep(2000); // let the announcements travel the chain before anyone subscribes
            }
            // Publishers send at the profile's rate from now on (uncounted until the window): a long ramp
            // does not leave them silent (an idle QUIC connection times out), and subscribers get data as
            // soon as they are in.
            long[] frames = new long[publishers];
            List<Group[]> openGroups = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                openGroups.add(new Group[1]);
            }
            List<ScheduledFuture<?>> ramping = startPublishing(pubSessions, tracks, openGroups, frames, rate, size, perGroup);
            // Subscribers, paced.
            List<ClientSession> subSessions = new ArrayList<>();
            AtomicInteger connected = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            java.util.Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();
            long pace = TimeUnit.SECONDS.toNanos(1) / Math.max(1, ramp);
            long next = System.nanoTime();
            List<CompletableFuture<ClientSession>> pending = new ArrayList<>();
            for (int i = 0; i < subscribers && System.nanoTime() < hardDeadline; i++) {
                int broadcast = i % publishers;
                CompletableFuture<ClientSession> f = client.connect(connect.url);
                pending.add(f.whenComplete((s, err) -> {
                    if (err != null) {
                        failed.incrementAndGet();
                        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                                ? err.getCause() : err;
                        if (failures.size() < 20) {
                            failures.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
                        }
                        return;
                    }
                    connected.incrementAndGet();
                    Track t = s.subscribe("loadgen/" + runId + "/" + broadcast, "t");
                    s.executor().execute(() -> new TrackReader(t, s.executor(), new TrackReader.Handler() {
                        @Override
                        public void onFrame(long sequence, int index, ByteBuf frame) {
                            long sent = frame.getLong(frame.readerIndex());
                            if (sent - windowStart.get() < 0) {
                                return; // a warm-up frame
                            }
                            latency.recordValue(Math.max(0, System.nanoTime() - sent));
                            received.increment();
                        }

                        @Override
                        public void onEnd(long code) {
                            ended.increment();
                        }
                    }).start());
                }));
                next += pace;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                if (i % 100 == 99) {
                    progress.printf(Locale.ROOT, "ramp: %d/%d connected, %d failed%n", connected.get(), subscribers, failed.get());
                }
            }
            for (CompletableFuture<ClientSession> f : pending) {
                try {
                    subSessions.add(f.get(Math.max(1, hardDeadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (Exception e) {
                    // counted as failed
                }
            }
            failures.forEach((why, n) -> progress.printf(Locale.ROOT, "connect failed %d times: %s%n", n, why));
            // Every subscription reaches the publishers before they start: wait (bounded) for the demand.
            // (Through a chain of relays the subscriptions need the announcements to travel first.)
            long waitUntil = Math.min(hardDeadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            while (System.nanoTime() < waitUntil && !tracks.stream().allMatch(t -> t.subscriberCount() > 0)) {
                Thread.sleep(20);
            }
            stopPublishing(pubSessions, openGroups, ramping, false);
            // Warm-up: the same workload, faster for small runs (about 3000 frames a second in all, at most
            // ten times the profile's rate), so that the JIT has compiled the data path on both ends.
            if (!warmup.isZero() && System.nanoTime() < hardDeadline) {
                double warmRate = Math.min(10 * rate, Math.max(rate, 3000.0 * publishers / Math.max(1, connected.get())));
                List<ScheduledFuture<?>> warm = startPublishing(pubSessions, tracks, openGroups, frames, warmRate, size, perGroup);
                progress.printf(Locale.ROOT, "warm-up: %s at %.0f frames/s per publisher%n", warmup, warmRate);
                Thread.sleep(Math.max(0, Math.min(warmup.toMillis(), (hardDeadline - System.nanoTime()) / 1_000_000)));
                stopPublishing(pubSessions, openGroups, warm, false);
            }
            Thread.sleep(500);
            windowStart.set(System.nanoTime());
            long cpuBefore = relayPid == null ? 0 : ProcStats.cpuTicks(relayPid); // the window's CPU only
            latency.getIntervalHistogram(); // forget anything before the window
            received.reset();
            long[] framesBefore = frames.clone();
            // Publish for the duration.
            List<ScheduledFuture<?>> tasks = startPublishing(pubSessions, tracks, openGroups, frames, rate, size, perGroup);
            Histogram total = new Histogram(3_600_000_000_000L, 3);
            long windowEnd = Math.min(hardDeadline, System.nanoTime() + duration.toNanos());
            long started = System.nanoTime();
            while (System.nanoTime() < windowEnd) {
                Thread.sleep(Math.min(1000, Math.max(1, (windowEnd - System.nanoTime()) / 1_000_000)));
                Histogram h = latency.getIntervalHistogram();
                total.add(h);
                double secs = (System.nanoTime() - started) / 1e9;
                progress.printf(Locale.ROOT, "t=%.0fs subscribers=%d frames/s=%.0f p99=%.1fms%n", secs, connected.get(),
                        received.sum() / Math.max(0.001, secs), total.getValueAtPercentile(99) / 1e6);
            }
            long cpuAfter = relayPid == null ? 0 : ProcStats.cpuTicks(relayPid);
            stopPublishing(pubSessions, openGroups, tasks, true);
            Thread.sleep(1000); // let the last frames arrive
            total.add(latency.getIntervalHistogram());
            long published = 0;
            long expected = 0;
            for (int p = 0; p < publishers; p++) {
                long sent = frames[p] - framesBefore[p];
                published += sent;
                long subs = subscribers / publishers + (p < subscribers % publishers ? 1 : 0);
                expected += sent * Math.min(subs, connected.get());
            }
            Result r = new Result(profile.name(), connect.url.getScheme(), subscribers, connected.get(), published,
                    expected, received.sum(), total, duration.toMillis() / 1000.0,
                    relayPid == null ? -1 : (cpuAfter - cpuBefore) / (double) ProcStats.TICKS,
                    relayPid == null ? -1 : ProcStats.peakRssKb(relayPid));
            for (ClientSession s : subSessions) {
                s.close();
            }
            for (ClientSession s : pubSessions) {
                s.close();
            }
            return r;
        }
    }

    /** Starts one fixed-rate frame source per publisher, each on its session's event loop. */
    private static List<ScheduledFuture<?>> startPublishing(List<ClientSession> sessions, List<Track> tracks,
            List<Group[]> openGroups, long[] frames, double rate, int size, int perGroup) {
        long periodNanos = Math.max(1, (long) (1e9 / rate));
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        for (int p = 0; p < sessions.size(); p++) {
            int idx = p;
            Track t = tracks.get(p);
            Group[] open = openGroups.get(p);
            tasks.add(sessions.get(p).executor().scheduleAtFixedRate(() -> {
                long n = frames[idx];
                if (n % perGroup == 0) {
                    open[0] = t.createGroup(n / perGroup);
                }
                ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(size);
                buf.writeLong(System.nanoTime());
                buf.writeLong(n);
                buf.writeZero(size - 16);
                if (open[0] != null) {
                    open[0].append(buf);
                    if ((n + 1) % perGroup == 0) {
                        open[0].finish(); // a full group ends at once, not when the next one starts
                        open[0] = null;
                    }
                } else {
                    buf.release();
                }
                frames[idx] = n + 1;
            }, 0, periodNanos, TimeUnit.NANOSECONDS));
        }
        return tasks;
    }

    /**
     * Stops the sources and waits until each has stopped on its loop. With {@code endGroups}, an open group
     * ends there; otherwise the next source continues it (the frame count goes on).
     */
    private static void stopPublishing(List<ClientSession> sessions, List<Group[]> openGroups,
            List<ScheduledFuture<?>> tasks, boolean endGroups) throws Exception {
        for (ScheduledFuture<?> f : tasks) {
            f.cancel(false);
        }
        for (int p = 0; p < sessions.size(); p++) {
            Group[] open = openGroups.get(p);
            sessions.get(p).executor().submit(() -> {
                if (endGroups && open[0] != null) {
                    open[0].finish();
                    open[0] = null;
                }
            }).get(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public Integer call() throws Exception {
        Result r = run(System.err);
        System.out.println(r.json());
        return 0;
    }

    /** The outcome of a run. */
    record Result(String profile, String transport, int subscribersAsked, int subscribersConnected, long framesPublished,
            long framesExpected, long framesReceived, Histogram latency, double durationSeconds, double relayCpuSeconds,
            long relayPeakRssKb) {
        double lossPercent() {
            return framesExpected == 0 ? 0 : Math.max(0, 100.0 * (framesExpected - framesReceived) / framesExpected);
        }

        String json() {
            return String.format(Locale.ROOT,
                    "{\"profile\":\"%s\",\"transport\":\"%s\",\"duration_s\":%.1f,\"subscribers_asked\":%d,"
                            + "\"subscribers_connected\":%d,\"frames_published\":%d,\"frames_expected\":%d,"
                            + "\"frames_received\":%d,\"loss_percent\":%.3f,\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f,"
                            + "\"p999\":%.3f,\"max\":%.3f},\"relay_cpu_s\":%.2f,\"relay_peak_rss_kb\":%d}",
                    profile, transport, durationSeconds, subscribersAsked, subscribersConnected, framesPublished,
                    framesExpected, framesReceived, lossPercent(), latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6, latency.getValueAtPercentile(99.9) / 1e6,
                    latency.getMaxValue() / 1e6, relayCpuSeconds, relayPeakRssKb);
        }
    }

    /** Reads a process's CPU time and peak resident memory from /proc (Linux). */
    static final class ProcStats {
        static final int TICKS = 100;

        static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
            } catch (Exception e) {
                return 0;
            }
        }

        static long peakRssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (Exception e) {
                // not Linux, or gone
            }
            return -1;
        }
    }
}
