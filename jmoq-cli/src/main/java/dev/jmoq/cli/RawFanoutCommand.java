package dev.jmoq.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jmoq fanout-raw}: the raw fan-out sender ({@link RawFanout}), the baseline that relay fan-out is
 * measured against. Run it in place of the relay and point {@code jmoq loadgen --raw} at it with the same
 * profile, subscriber count and transport; {@code --relay-pid} of the load generator then reads this
 * process's CPU. It stops by itself after {@code --timeout}.
 */
@Command(name = "fanout-raw", mixinStandardHelpOptions = true,
        description = "Send a load profile's frames over plain QUIC, WebTransport or WebSocket streams (no MoQ) to "
                + "every connection that dials with `jmoq loadgen --raw`: the baseline of relay fan-out.")
public final class RawFanoutCommand implements Callable<Integer> {
    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "UDP and TCP port; 0 picks one (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int port;

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--event-loops", description = "Event loops, as the relay's server.event_loops; 0 for one per "
            + "core (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int eventLoops;

    @Option(names = "--one-stream", description = "Every frame on one long-lived stream per connection instead of "
            + "one stream per group (to measure what a stream per group costs).")
    boolean oneStream;

    @Option(names = "--timeout", description = "Stop after this long (default: ${DEFAULT-VALUE}).", defaultValue = "PT15M")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        double rate = workload.rate();
        int size = workload.size();
        int perGroup = workload.perGroup();
        if (rate <= 0 || size < RawFanout.STAMP_BYTES || perGroup < 1 || eventLoops < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--fps must be positive, --frame-size at least 16, --frames-per-group at least 1");
        }
        try (RawFanout fanout = RawFanout.start(new InetSocketAddress(InetAddress.getByName(host), port), eventLoops,
                rate, size, perGroup, oneStream)) {
            System.err.printf(Locale.ROOT, "event=fanout_raw_listening address=%s:%d fps=%.1f frame_size=%d "
                    + "frames_per_group=%d one_stream=%b alpn=%s%n", host, fanout.port(), rate, size, perGroup, oneStream,
                    RawFanout.ALPN);
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(10_000, (end - System.nanoTime()) / 1_000_000)));
                System.err.printf(Locale.ROOT, "event=fanout_raw_status connections=%d frames_sent=%d groups_dropped=%d%n",
                        fanout.connections(), fanout.framesSent(), fanout.groupsDropped());
            }
        }
        return 0;
    }
}
