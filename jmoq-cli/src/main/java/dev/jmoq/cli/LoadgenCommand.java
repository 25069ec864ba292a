package dev.jmoq.cli;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jmoq loadgen}: many subscribers (and a few publishers) against a relay, with a workload profile.
 * Publishers stamp each frame with its send time (this process's monotonic clock); subscribers record
 * the delivery latency in an HdrHistogram. Connections ramp up at a bounded rate; the run stops by itself
 * (its duration, and a hard timeout). With {@code --raw} there are no publishers and no MoQ: the URL is a
 * {@link RawFanout} sender and the subscribers are {@link RawFanoutReceiver}s (the raw fan-out baseline).
 * Every result carries the CPU per delivered frame of the relay (or raw sender, {@code --relay-pid}) and of
 * this process. The last line of stdout is one JSON object with the results.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "Load a relay with many subscribers and measure delivery latency and loss.")
public final class LoadgenCommand implements Callable<Integer> {
    /** After the window: how long without a new frame ends the wait for frames still on their way, and its bound. */
    private static final long STRAGGLER_QUIET_MILLIS = 2_000;
    private static final long STRAGGLER_MAX_MILLIS = 10_000;

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

    @Mixin
    WorkloadOptions workload;

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

    @Option(names = "--warmup", description = "Publish this long before measuring, so that both JVMs run compiled code "
            + "(default: ${DEFAULT-VALUE}; PT0S for none).", defaultValue = "PT5S")
    Duration warmup;

    @Option(names = "--threads", description = "Client event loops (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int threads;

    @Option(names = "--share-udp-sockets", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Raw-QUIC and WebTransport subscribers of one event loop share 8 UDP sockets, their "
                    + "packets sent in a sendmmsg per socket and loop pass (default: ${DEFAULT-VALUE}; "
                    + "--no-share-udp-sockets gives each its own, as separate clients would have).")
    boolean shareUdpSockets;

    @Option(names = "--relay-pid", description = "Report this process's CPU seconds and peak RSS (Linux /proc): the "
            + "relay's, or with --raw the raw sender's.")
    Long relayPid;

    @Option(names = "--raw", description = "The raw fan-out leg: --url is a `jmoq fanout-raw` sender (started with the "
            + "same profile), no MoQ; subscribers receive its streams and measure them as a relay's.")
    boolean raw;

    @Option(names = "--timeout", description = "Hard bound on the whole run (default: ${DEFAULT-VALUE}).", defaultValue = "PT10M")
    Duration timeout;

    /** Runs the load and returns the result (for tests: no printing of the JSON). */
    Result run(PrintStream progress) throws Exception {
        double rate = workload.rate();
        int size = Math.max(16, workload.size());
        int perGroup = Math.max(1, workload.perGroup());
        long hardDeadline = System.nanoTime() + timeout.toNanos();
        if (raw) {
            return runRaw(progress, hardDeadline);
        }
        String runId = Long.toHexString(System.nanoTime() & 0xffffffL);
        Delivery delivery = new Delivery();
        // Publishers get an event loop of their own: on the subscribers' loops a publisher's sends would
        // wait behind the receiving of hundreds of connections, and the load generator would measure
        // itself (the raw leg's sender is a process of its own for the same reason).
        try (MoqClient client = connect.client(threads, shareUdpSockets); MoqClient pubClient = connect.client(1)) {
            // Publishers.
            List<ClientSession> pubSessions = new ArrayList<>();
            List<Track> tracks = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                ClientSession s = pubClient.connect(publishUrl != null ? publishUrl : connect.url).get(15, TimeUnit.SECONDS);
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
            Ramp<ClientSession> subscribing = new Ramp<>(subscribers, ramp, hardDeadline, progress);
            AtomicInteger connected = subscribing.connected;
            List<ClientSession> subSessions = subscribing.run(i -> client.connect(connect.url), (i, s) -> {
                    int broadcast = i % publishers;
                    Track t = s.subscribe("loadgen/" + runId + "/" + broadcast, "t");
                    s.executor().execute(() -> new TrackReader(t, s.executor(), new TrackReader.Handler() {
                        @Override
                        public void onFrame(long sequence, int index, ByteBuf frame) {
                            delivery.frame(frame.getLong(frame.readerIndex()), frame.getLong(frame.readerIndex() + 8));
                        }
                    }).start());
            });
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
            long[] framesBefore = frames.clone();
            MeasuredWindow w = new MeasuredWindow(delivery, relayPid, connected::get, progress);
            w.open();
            // Publish for the duration.
            List<ScheduledFuture<?>> tasks = startPublishing(pubSessions, tracks, openGroups, frames, rate, size, perGroup);
            w.runFor(Math.min(hardDeadline, System.nanoTime() + duration.toNanos()));
            stopPublishing(pubSessions, openGroups, tasks, true);
            long published = 0;
            long expected = 0;
            for (int p = 0; p < publishers; p++) {
                long sent = frames[p] - framesBefore[p];
                published += sent;
                long subs = subscribers / publishers + (p < subscribers % publishers ? 1 : 0);
                expected += sent * Math.min(subs, connected.get());
            }
            long expectedFrames = expected;
            delivery.awaitStragglers(() -> expectedFrames, STRAGGLER_QUIET_MILLIS, STRAGGLER_MAX_MILLIS);
            Histogram total = w.close();
            Result r = new Result("relay", workload.profile.name(), connect.url.getScheme(), subscribers, connected.get(), published,
                    expected, delivery.received.sum(), total, duration.toMillis() / 1000.0, w.relayCpuSeconds(),
                    relayPid == null ? -1 : ProcStats.peakRssKb(relayPid), w.ownCpuSeconds());
            progress.println(r.line());
            for (ClientSession s : subSessions) {
                s.close();
            }
            for (ClientSession s : pubSessions) {
                s.close();
            }
            return r;
        }
    }

    /**
     * The raw leg: {@code --url} is a {@link RawFanout} sender that sends the profile's frames to every
     * connection all along; subscribers dial it at the ramp's pace, the warm-up is the sender's own traffic,
     * and the window counts frames stamped inside it. The frames published are the numbers the window's
     * frames span (every connection gets the same numbers).
     */
    private Result runRaw(PrintStream progress, long hardDeadline) throws Exception {
        Delivery delivery = new Delivery();
        try (MoqClient client = connect.client(threads)) {
            ClientOptions options = connect.clientOptions(client.eventLoops(), List.of(RawFanout.ALPN), shareUdpSockets);
            Ramp<MoqConnection> connecting = new Ramp<>(subscribers, ramp, hardDeadline, progress);
            List<MoqConnection> connections = connecting.run(i -> RawFanoutReceiver.connect(connect.url, options, delivery),
                    (i, c) -> { });
            if (!warmup.isZero()) {
                progress.printf(Locale.ROOT, "warm-up: %s at the sender's rate%n", warmup);
                Thread.sleep(Math.max(0, Math.min(warmup.toMillis(), (hardDeadline - System.nanoTime()) / 1_000_000)));
            }
            MeasuredWindow w = new MeasuredWindow(delivery, relayPid, connecting.connected::get, progress);
            w.open();
            w.runFor(Math.min(hardDeadline, System.nanoTime() + duration.toNanos()));
            delivery.endWindow();
            // Every connection gets every frame number the window spans: wait for the stragglers of those.
            delivery.awaitStragglers(() -> delivery.framesSpanned() * connecting.connected.get(), STRAGGLER_QUIET_MILLIS,
                    STRAGGLER_MAX_MILLIS);
            Histogram total = w.close();
            long published = delivery.framesSpanned();
            int connected = connecting.connected.get();
            Result r = new Result("raw", workload.profile.name(), connect.url.getScheme(), subscribers, connected, published,
                    published * connected, delivery.received.sum(), total, duration.toMillis() / 1000.0,
                    w.relayCpuSeconds(), relayPid == null ? -1 : ProcStats.peakRssKb(relayPid), w.ownCpuSeconds());
            progress.println(r.line());
            for (MoqConnection c : connections) {
                c.close(0, "done");
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
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // The load generator must not be the bottleneck it measures: Netty's default leak sampling
            // records a stack trace for about one buffer in 128, a cost measured per received frame in
            // docs/perf/fanout.md. Set the property to keep it.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        Result r = run(System.err);
        System.out.println(r.json());
        return 0;
    }

    /**
     * The outcome of a run.
     *
     * @param leg             {@code relay}, or {@code raw} for the raw fan-out leg ({@code --raw})
     * @param relayCpuSeconds the relay's (raw leg: the sender's) CPU seconds over the window, -1 when not read
     * @param ownCpuSeconds   this load generator's CPU seconds over the window
     */
    record Result(String leg, String profile, String transport, int subscribersAsked, int subscribersConnected,
            long framesPublished, long framesExpected, long framesReceived, Histogram latency, double durationSeconds,
            double relayCpuSeconds, long relayPeakRssKb, double ownCpuSeconds) {
        double lossPercent() {
            return framesExpected == 0 ? 0 : Math.max(0, 100.0 * (framesExpected - framesReceived) / framesExpected);
        }

        /** Relay (or raw sender) CPU per delivered frame, microseconds; -1 when not measured or nothing came. */
        double relayCpuMicrosPerFrame() {
            return relayCpuSeconds < 0 || framesReceived == 0 ? -1 : relayCpuSeconds * 1e6 / framesReceived;
        }

        /** This load generator's CPU per received frame, microseconds; -1 when nothing came. */
        double ownCpuMicrosPerFrame() {
            return framesReceived == 0 ? -1 : ownCpuSeconds * 1e6 / framesReceived;
        }

        /** One human line: the leg, delivery, latency, and both processes' CPU per frame. */
        String line() {
            return String.format(Locale.ROOT, "result: %s leg, %s over %s, %d/%d connected, %d of %d frames (loss %.3f %%), "
                            + "p50 %.1f ms, p99 %.1f ms; CPU per delivered frame: %s %.1f us, load generator %.1f us",
                    leg, profile, transport, subscribersConnected, subscribersAsked, framesReceived, framesExpected,
                    lossPercent(), latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                    leg.equals("raw") ? "sender" : "relay", relayCpuMicrosPerFrame(), ownCpuMicrosPerFrame());
        }

        String json() {
            return String.format(Locale.ROOT,
                    "{\"profile\":\"%s\",\"transport\":\"%s\",\"leg\":\"%s\",\"duration_s\":%.1f,\"subscribers_asked\":%d,"
                            + "\"subscribers_connected\":%d,\"frames_published\":%d,\"frames_expected\":%d,"
                            + "\"frames_received\":%d,\"loss_percent\":%.3f,\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f,"
                            + "\"p999\":%.3f,\"max\":%.3f},\"relay_cpu_s\":%.2f,\"relay_peak_rss_kb\":%d,"
                            + "\"relay_cpu_us_per_frame\":%.3f,\"loadgen_cpu_s\":%.2f,\"loadgen_cpu_us_per_frame\":%.3f}",
                    profile, transport, leg, durationSeconds, subscribersAsked, subscribersConnected, framesPublished,
                    framesExpected, framesReceived, lossPercent(), latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6, latency.getValueAtPercentile(99.9) / 1e6,
                    latency.getMaxValue() / 1e6, relayCpuSeconds, relayPeakRssKb, relayCpuMicrosPerFrame(),
                    ownCpuSeconds, ownCpuMicrosPerFrame());
        }
    }
}
