package dev.jmoq.cli;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.relay.config.InvalidValue;
import dev.jmoq.relay.config.Sizes;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.transport.quic.QuicServer;
import dev.jmoq.transport.quic.QuicStream;
import dev.jmoq.transport.tls.ServerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jmoq bulk}: bulk efficiency. One publisher sends large frames to one subscriber through the relay,
 * and, in the same process with the same QUIC stack and transport settings, the same bytes go over raw
 * QUIC streams to an in-process sink. Runs alternate raw, relay, raw, relay...; the result is the median
 * throughput of each and the ratio of the medians (relay over raw).
 *
 * <p>Both legs send one stream per group and keep at most {@code --window} groups outstanding (a group is
 * sent only while it is less than {@code --window} above the lowest group not yet wholly received), so
 * nothing buffers without bound: the relay resets a subscription's oldest group as lagging once more than
 * {@code session.groups_in_flight} (4) are backlogged, and its cache keeps eight groups. Each leg is timed
 * from its first write to the receiver holding every byte. The last line of stdout is one JSON object with
 * the results.
 */
@Command(name = "bulk", mixinStandardHelpOptions = true,
        description = "Measure bulk throughput through the relay (one publisher, one subscriber, large frames) "
                + "as a ratio to raw QUIC streams of the same bytes in the same process.")
public final class BulkCommand implements Callable<Integer> {
    /** The raw leg's private ALPN: nothing else speaks it. */
    static final String ALPN = "jmoq-bulk";
    /** A leg that makes no progress for this long is given up (its missing groups count as lost). */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Mixin
    ConnectOptions connect;

    @Option(names = "--frame-size", description = "Frame size, e.g. 1MiB or 65536 (default: ${DEFAULT-VALUE}).",
            defaultValue = "1MiB", converter = SizeConverter.class)
    long frameSize;

    @Option(names = "--frames-per-group", description = "Frames per group; each group is one QUIC stream "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int framesPerGroup;

    @Option(names = "--bytes", description = "Bytes sent per run and leg (default: ${DEFAULT-VALUE}).",
            defaultValue = "512MiB", converter = SizeConverter.class)
    long bytes;

    @Option(names = "--runs", description = "Runs of each leg, alternating raw and relay; the medians are "
            + "compared (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int runs;

    @Option(names = "--window", description = "Groups outstanding at most (sent, not yet wholly received); more "
            + "than the relay's session.groups_in_flight (4) makes it reset groups as lagging "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int window;

    @Option(names = "--threads", description = "Client event loops (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int threads;

    @Option(names = "--relay-pid", description = "Report this process's CPU seconds during the relay legs (Linux /proc).")
    Long relayPid;

    @Option(names = "--timeout", description = "Hard bound on the whole run (default: ${DEFAULT-VALUE}).",
            defaultValue = "PT5M")
    Duration timeout;

    /** Parses sizes such as {@code 512MiB}, {@code 64KiB} or a plain number of bytes. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Sizes.parse(value);
            } catch (InvalidValue e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** How the bytes are cut: frames of {@code frameSize} (the last one shorter), {@code perGroup} to a group. */
    record Plan(long bytes, int frameSize, int perGroup) {
        long frames() {
            return (bytes + frameSize - 1) / frameSize;
        }

        long groups() {
            return (frames() + perGroup - 1) / perGroup;
        }

        int framesIn(long group) {
            return (int) Math.min(perGroup, frames() - group * perGroup);
        }

        int frameLength(long group, int index) {
            long frame = group * perGroup + index;
            return (int) Math.min(frameSize, bytes - frame * frameSize);
        }

        long groupBytes(long group) {
            long first = group * perGroup * (long) frameSize;
            return Math.min(bytes, first + (long) framesIn(group) * frameSize) - first;
        }
    }

    /**
     * One leg of one run.
     *
     * @param bytesReceived payload bytes the receiver got
     * @param seconds       from the first write to the last byte received (or to giving up)
     * @param lostGroups    groups not received whole (reset, skipped, or missing when the leg gave up)
     * @param complete      every group was accounted for before the deadline
     * @param cpuSeconds    the relay's CPU seconds during the leg, -1 when not measured
     * @param ownCpuSeconds this process's CPU seconds during the leg (both clients, or sender and sink)
     */
    record Leg(long bytesReceived, double seconds, long lostGroups, boolean complete, double cpuSeconds,
            double ownCpuSeconds) {
        double mbitPerSecond() {
            return seconds <= 0 ? 0 : bytesReceived * 8 / seconds / 1e6;
        }
    }

    /** The outcome of the command. */
    record Result(String transport, Plan plan, int window, List<Leg> raw, List<Leg> relay) {
        static double median(List<Leg> legs) {
            double[] v = legs.stream().mapToDouble(Leg::mbitPerSecond).sorted().toArray();
            if (v.length == 0) {
                return 0;
            }
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        double rawMedian() {
            return median(raw);
        }

        double relayMedian() {
            return median(relay);
        }

        double ratio() {
            return rawMedian() <= 0 ? 0 : relayMedian() / rawMedian();
        }

        long relayLossGroups() {
            return relay.stream().mapToLong(Leg::lostGroups).sum();
        }

        double relayCpuSeconds() {
            return relay.stream().anyMatch(l -> l.cpuSeconds() < 0) ? -1
                    : relay.stream().mapToDouble(Leg::cpuSeconds).sum();
        }

        static double ownCpuSeconds(List<Leg> legs) {
            return legs.stream().mapToDouble(Leg::ownCpuSeconds).sum();
        }

        boolean complete() {
            return raw.stream().allMatch(Leg::complete) && relay.stream().allMatch(Leg::complete)
                    && raw.stream().allMatch(l -> l.lostGroups() == 0);
        }

        String json() {
            return String.format(Locale.ROOT,
                    "{\"frame_size\":%d,\"bytes\":%d,\"runs\":%d,\"raw_mbit_s\":%s,\"relay_mbit_s\":%s,"
                            + "\"raw_median_mbit_s\":%.1f,\"relay_median_mbit_s\":%.1f,\"ratio\":%.3f,"
                            + "\"relay_loss_groups\":%d,\"relay_cpu_s\":%.2f,\"raw_own_cpu_s\":%.2f,"
                            + "\"relay_own_cpu_s\":%.2f,\"frames_per_group\":%d,\"window\":%d,"
                            + "\"transport\":\"%s\",\"complete\":%b}",
                    plan.frameSize(), plan.bytes(), Math.max(raw.size(), relay.size()), list(raw), list(relay),
                    rawMedian(), relayMedian(), ratio(), relayLossGroups(), relayCpuSeconds(), ownCpuSeconds(raw),
                    ownCpuSeconds(relay), plan.perGroup(),
                    window, transport, complete());
        }

        private static String list(List<Leg> legs) {
            return legs.stream().map(l -> String.format(Locale.ROOT, "%.1f", l.mbitPerSecond()))
                    .collect(Collectors.joining(",", "[", "]"));
        }
    }

    /** Runs the legs and returns the result (for tests: no printing of the JSON). */
    Result run(PrintStream progress) throws Exception {
        if (frameSize < 1 || frameSize > 1L << 30 || bytes < 1 || framesPerGroup < 1 || runs < 1 || window < 1
                || threads < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--frame-size (at most 1GiB), --bytes, "
                    + "--frames-per-group, --runs, --window and --threads must be positive");
        }
        Plan plan = new Plan(bytes, (int) frameSize, framesPerGroup);
        if (plan.groups() > Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(new CommandLine(this), "too many groups: " + plan.groups());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String runId = Long.toHexString(System.nanoTime() & 0xffffffL);
        progress.printf(Locale.ROOT, "bulk: %s in %d frames of %s, %d per group (%d groups), window %d, %d run(s)%n",
                Sizes.format(bytes), plan.frames(), Sizes.format(frameSize), framesPerGroup, plan.groups(), window,
                runs);
        List<Leg> raw = new ArrayList<>();
        List<Leg> relay = new ArrayList<>();
        ServerCertificate certificate = ServerCertificate.selfSigned(List.of("127.0.0.1", "localhost"));
        ByteBuf template = ByteBufAllocator.DEFAULT.directBuffer(plan.frameSize(), plan.frameSize());
        try (MoqClient client = connect.client(threads)) {
            for (int i = 0; i < plan.frameSize(); i++) {
                template.writeByte(i * 31 + 7);
            }
            for (int run = 1; run <= runs && System.nanoTime() < deadline; run++) {
                Leg r = rawLeg(client, certificate, plan, template, deadline);
                raw.add(r);
                report(progress, "raw", run, plan, r);
                if (System.nanoTime() >= deadline) {
                    break;
                }
                Leg m = relayLeg(client, plan, template, "bulk/" + runId + "/" + run, deadline, progress);
                relay.add(m);
                report(progress, "relay", run, plan, m);
            }
        } finally {
            template.release();
        }
        Result result = new Result(connect.url.getScheme(), plan, window, raw, relay);
        progress.printf(Locale.ROOT, "median: raw %.0f Mbit/s, relay %.0f Mbit/s, ratio %.3f%n", result.rawMedian(),
                result.relayMedian(), result.ratio());
        return result;
    }

    private static void report(PrintStream progress, String leg, int run, Plan plan, Leg l) {
        progress.printf(Locale.ROOT, "run %d %-5s: %s of %s in %.2f s = %.0f Mbit/s%s%s%s%n", run, leg,
                Sizes.format(l.bytesReceived()), Sizes.format(plan.bytes()), l.seconds(), l.mbitPerSecond(),
                l.lostGroups() > 0 ? ", " + l.lostGroups() + " group(s) lost" : "",
                l.complete() ? "" : ", INCOMPLETE",
                String.format(Locale.ROOT, ", CPU: this process %.2f s", l.ownCpuSeconds())
                        + (l.cpuSeconds() >= 0 ? String.format(Locale.ROOT, ", relay %.2f s", l.cpuSeconds()) : ""));
    }

    // ---- the relay leg ---------------------------------------------------------------------------

    /**
     * What the receiver has seen. Groups end in any order (the relay sends the newest group first), so the
     * window's base is the lowest group not yet accounted for: a sender keeps every group it sends below
     * base + window, and no group can fall behind the relay's cache window while newer ones overtake it.
     * Thread-safe.
     */
    private static final class Progress {
        final AtomicLong bytes = new AtomicLong();
        /** The lowest group not yet accounted for (received whole, or ended otherwise). */
        final AtomicLong base = new AtomicLong();
        final AtomicLong lastChange = new AtomicLong(System.nanoTime());
        /** Completes with the instant the last group was accounted for. */
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final long groups;
        private final BitSet ended = new BitSet();
        private long accounted;
        private long whole;

        Progress(long groups) {
            this.groups = groups;
        }

        void received(long n) {
            bytes.addAndGet(n);
            lastChange.set(System.nanoTime());
        }

        /** Group {@code sequence} ended at the receiver, {@code complete} when every byte of it arrived. */
        synchronized void ended(long sequence, boolean complete) {
            lastChange.set(System.nanoTime());
            if (sequence < 0 || sequence >= groups || ended.get((int) sequence)) {
                return;
            }
            ended.set((int) sequence);
            accounted++;
            if (complete) {
                whole++;
            }
            base.set(ended.nextClearBit((int) base.get()));
            if (accounted >= groups) {
                done.complete(System.nanoTime());
            }
        }

        synchronized long accounted() {
            return accounted;
        }

        /** Groups not received whole (so far). */
        synchronized long lost() {
            return groups - whole;
        }

        /** The groups not accounted for, as {@code {0, 5}}. */
        synchronized String missing() {
            BitSet m = new BitSet();
            m.set(0, (int) groups);
            m.andNot(ended);
            return m.toString();
        }

        /**
         * Waits until every group is accounted for, the deadline passes, or nothing moved for
         * {@link #STALL_NANOS}. Returns the instant of the last group, or, when it gave up, of the last
         * progress; {@code done} tells which.
         */
        long await(long deadline) throws InterruptedException {
            while (true) {
                long now = System.nanoTime();
                long until = Math.min(deadline, lastChange.get() + STALL_NANOS);
                if (now >= until) {
                    return done.getNow(lastChange.get());
                }
                try {
                    return done.get(Math.min(until - now, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // check the bounds again
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
    }

    private Leg relayLeg(MoqClient client, Plan plan, ByteBuf template, String path, long deadline,
            PrintStream progress) throws Exception {
        ClientSession pub = client.connect(connect.url).get(15, TimeUnit.SECONDS);
        ClientSession sub = null;
        TrackReader[] reader = new TrackReader[1];
        try {
            sub = client.connect(connect.url).get(15, TimeUnit.SECONDS);
            ClientSession s = sub;
            CompletableFuture<Track> published = new CompletableFuture<>();
            pub.executor().execute(() -> {
                Broadcast b = pub.publish(path);
                published.complete(b.createTrack("t"));
            });
            Track track = published.get(10, TimeUnit.SECONDS);
            // Subscribe once the relay knows the broadcast (a subscription to an unknown one is refused).
            CompletableFuture<Void> announced = new CompletableFuture<>();
            sub.announced(path, (suffix, active) -> {
                if (active) {
                    announced.complete(null);
                }
            });
            try {
                announced.get(bounded(deadline, 15), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the relay at " + connect.url + " did not announce " + path, e);
            }
            Progress seen = new Progress(plan.groups());
            EventLoop pubLoop = pub.executor();
            Publisher publisher = new Publisher(track, plan, template, seen, pubLoop);
            Track subscribed = sub.subscribe(path, "t");
            // Bytes of each group the subscriber has started and not yet ended (its loop only).
            Map<Long, Long> groupBytes = new HashMap<>();
            sub.executor().execute(() -> reader[0] = TrackReader.ofSubscription(subscribed, s.executor(), new TrackReader.Handler() {
                @Override
                public void onGroupStart(long sequence) {
                    groupBytes.put(sequence, 0L);
                }

                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    int n = frame.readableBytes();
                    groupBytes.merge(sequence, (long) n, Long::sum);
                    seen.received(n);
                }

                @Override
                public void onGroupEnd(long sequence, boolean aborted) {
                    Long got = groupBytes.remove(sequence);
                    seen.ended(sequence, !aborted && got != null && got == plan.groupBytes(sequence));
                    pubLoop.execute(publisher);
                }
            }).start()); // skipped groups stay unaccounted for: the leg stalls and counts them as lost
            // The subscription reaches the publisher through the relay before the first byte is sent.
            long waitUntil = System.nanoTime() + bounded(deadline, 15);
            while (track.subscriberCount() == 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(5);
            }
            if (track.subscriberCount() == 0) {
                throw new IllegalStateException("the subscription did not reach the publisher through " + connect.url);
            }
            long cpuBefore = relayPid == null ? 0 : ProcStats.cpuTicks(relayPid);
            long ownBefore = ProcStats.ownCpuNanos();
            long start = System.nanoTime();
            pubLoop.execute(publisher);
            long end = seen.await(deadline);
            long ownAfter = ProcStats.ownCpuNanos();
            long cpuAfter = relayPid == null ? 0 : ProcStats.cpuTicks(relayPid);
            boolean complete = seen.done.isDone();
            if (!complete) {
                String open = sub.executor().submit(() -> groupBytes.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue() + " of " + plan.groupBytes(e.getKey()) + " bytes)")
                        .collect(Collectors.joining(", "))).get(5, TimeUnit.SECONDS);
                progress.printf(Locale.ROOT, "relay leg gave up: %d of %d groups accounted for; open at the subscriber: "
                        + "%s; never ended: %s%n", seen.accounted(), plan.groups(), open.isEmpty() ? "none" : open,
                        seen.missing());
            }
            return new Leg(seen.bytes.get(), (end - start) / 1e9, seen.lost(), complete,
                    relayPid == null ? -1 : (cpuAfter - cpuBefore) / (double) ProcStats.TICKS,
                    (ownAfter - ownBefore) / 1e9);
        } finally {
            if (sub != null) {
                ClientSession s = sub;
                s.executor().submit(() -> {
                    if (reader[0] != null) {
                        reader[0].stop();
                    }
                }).await(5, TimeUnit.SECONDS);
                s.close();
            }
            pub.close();
        }
    }

    /**
     * Publishes the groups on the publisher's loop: a group only while it is below the window's base (the
     * lowest group the subscriber has not accounted for) plus {@code window}. Runs again each time the
     * subscriber accounts for a group; never blocks.
     */
    private final class Publisher implements Runnable {
        private final Track track;
        private final Plan plan;
        private final ByteBuf template;
        private final Progress seen;
        private final EventLoop loop;
        private long next;

        Publisher(Track track, Plan plan, ByteBuf template, Progress seen, EventLoop loop) {
            this.track = track;
            this.plan = plan;
            this.template = template;
            this.seen = seen;
            this.loop = loop;
        }

        @Override
        public void run() {
            assert loop.inEventLoop();
            while (next < plan.groups() && next < seen.base.get() + window) {
                long seq = next++;
                Group g = track.createGroup(seq);
                if (g == null) {
                    continue; // refused (the track closed): never received, counted as lost at the end
                }
                int frames = plan.framesIn(seq);
                for (int i = 0; i < frames; i++) {
                    g.append(template.retainedSlice(0, plan.frameLength(seq, i)));
                }
                g.finish();
            }
        }
    }

    // ---- the raw leg -----------------------------------------------------------------------------

    private Leg rawLeg(MoqClient client, ServerCertificate certificate, Plan plan, ByteBuf template, long deadline)
            throws Exception {
        Progress seen = new Progress(plan.groups());
        AtomicReference<RawSender> sender = new AtomicReference<>();
        ConnectionHandler sink = new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.stopSending(0);
                stream.reset(0);
            }

            @Override
            public void onUniStream(RecvStream stream) {
                stream.setReader(new StreamReader() {
                    private long got;

                    @Override
                    public void onData(ByteBuf data) {
                        int n = data.readableBytes();
                        data.release();
                        got += n;
                        seen.received(n);
                    }

                    @Override
                    public void onFinish() {
                        done(true);
                    }

                    @Override
                    public void onReset(long code) {
                        done(false);
                    }

                    private void done(boolean finished) {
                        // Client unidirectional stream ids are 2, 6, 10...: the n-th stream opened carries group n.
                        long group = (stream.id() - 2) / 4;
                        seen.ended(group, finished && got == plan.groupBytes(group));
                        RawSender s = sender.get();
                        if (s != null) {
                            s.loop.execute(s);
                        }
                    }
                });
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        };
        ServerOptions options = new ServerOptions(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                certificate, List.of(ALPN), connection -> connection.setHandler(sink), 1, 30_000);
        try (QuicServer server = QuicServer.start(options)) {
            EventLoop loop = client.eventLoops().next();
            ClientOptions dialOptions = new ClientOptions(client.eventLoops(), List.of(ALPN), true, List.of(), 10_000);
            URI uri = URI.create("moqt://127.0.0.1:" + server.port() + "/");
            QuicChannel channel = QuicClient.dial(uri, dialOptions, List.of(ALPN), loop, new RefuseStreams())
                    .get(15, TimeUnit.SECONDS);
            try {
                RawSender s = new RawSender(channel, plan, template, seen);
                sender.set(s);
                long ownBefore = ProcStats.ownCpuNanos();
                long start = System.nanoTime();
                s.loop.execute(s);
                long end = seen.await(deadline);
                long ownAfter = ProcStats.ownCpuNanos();
                boolean complete = seen.done.isDone();
                return new Leg(seen.bytes.get(), (end - start) / 1e9, seen.lost(), complete, -1,
                        (ownAfter - ownBefore) / 1e9);
            } finally {
                channel.close().await(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The raw client accepts no streams from the sink. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class RefuseStreams extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel ch) {
            ch.close();
        }
    }

    /**
     * Sends the groups over raw QUIC, one unidirectional stream each, on the connection's loop: frames are
     * written only while a stream is writable (the stream wakes the sender when it turns writable again),
     * and a new stream opens only while its group is below the window's base plus {@code window}.
     */
    private final class RawSender implements Runnable {
        final EventLoop loop;
        private final QuicChannel channel;
        private final Plan plan;
        private final ByteBuf template;
        private final Progress seen;
        private final List<Sending> sending = new ArrayList<>();
        private long opened;

        private final class Sending {
            final long group;
            final QuicStream stream;
            int next;

            Sending(long group, QuicStream stream) {
                this.group = group;
                this.stream = stream;
            }
        }

        RawSender(QuicChannel channel, Plan plan, ByteBuf template, Progress seen) {
            this.loop = channel.eventLoop();
            this.channel = channel;
            this.plan = plan;
            this.template = template;
            this.seen = seen;
        }

        @Override
        public void run() {
            for (int i = 0; i < sending.size(); i++) {
                if (write(sending.get(i))) {
                    sending.remove(i--);
                }
            }
            while (opened < plan.groups() && opened < seen.base.get() + window && channel.isActive()) {
                long group = opened++;
                var f = QuicStream.open(channel, QuicStreamType.UNIDIRECTIONAL);
                f.addListener(done -> {
                    if (!done.isSuccess()) {
                        seen.ended(group, false);
                        return;
                    }
                    QuicStream stream = f.getNow();
                    stream.onWritable(this);
                    Sending s = new Sending(group, stream);
                    if (!write(s)) {
                        sending.add(s);
                    }
                });
            }
        }

        /** Writes what the stream takes; true once its last frame (with the FIN) is written. */
        private boolean write(Sending s) {
            int frames = plan.framesIn(s.group);
            boolean wrote = false;
            while (s.next < frames && s.stream.isWritable()) {
                ByteBuf frame = template.retainedSlice(0, plan.frameLength(s.group, s.next));
                if (++s.next == frames) {
                    s.stream.writeAndFinish(frame); // the FIN rides on the last frame, as the relay's egress does
                    return true;
                }
                s.stream.write(frame);
                wrote = true;
            }
            if (wrote) {
                s.stream.flush();
            }
            return false;
        }
    }

    private static long bounded(long deadline, long seconds) {
        return Math.max(1, Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(seconds)));
    }

    @Override
    public Integer call() throws Exception {
        Result r = run(System.err);
        System.out.println(r.json());
        return r.complete() ? 0 : 1;
    }
}
