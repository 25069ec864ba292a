package dev.jmoq.cli;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jmoq pub}: publishes a broadcast from stdin, a file, or a synthetic source; with {@code --format fmp4},
 * fragmented MP4 as a hang broadcast ({@link MediaPublisher}). Synthetic frames
 * carry their send time (epoch nanoseconds, big-endian) in their first 8 bytes, so subscribers can
 * measure delivery latency.
 */
@Command(name = "pub", mixinStandardHelpOptions = true, description = "Publish a broadcast.")
public final class PubCommand implements Callable<Integer> {
    enum Format { raw, fmp4 }

    @Mixin
    ConnectOptions connect;

    @Option(names = "--broadcast", required = true, description = "Broadcast path.")
    String broadcast;

    @Option(names = "--track", description = "Track name(s); with --tracks N, names are <track>-0..N-1 (default: ${DEFAULT-VALUE}).",
            defaultValue = "video")
    String track;

    @Option(names = "--tracks", description = "Number of synthetic tracks (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int tracks;

    @Option(names = "--input", description = "Read from this file ('-' for stdin): with --format raw one frame per --frame-size bytes.")
    String input;

    @Option(names = "--format", description = "raw (synthetic or fixed-size frames on --track) or fmp4 (fragmented MP4 from --input,"
            + " published as a hang broadcast: catalog.json and a track per media track) (default: ${DEFAULT-VALUE}).",
            defaultValue = "raw")
    Format format;

    @Option(names = "--loop", description = "With --format fmp4 and a file: start again at its end, the timeline continuing.")
    boolean loop;

    @Option(names = "--pace", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --format fmp4: publish at the media's own speed (default: ${DEFAULT-VALUE}); --no-pace as fast as read.")
    boolean pace;

    @Option(names = "--frame-size", description = "Frame size in bytes (default: ${DEFAULT-VALUE}).", defaultValue = "1200")
    int frameSize;

    @Option(names = "--fps", description = "Frames per second (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    double fps;

    @Option(names = "--frames-per-group", description = "Frames per group (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int framesPerGroup;

    @Option(names = "--duration", description = "Stop after this long (default: run until input ends or forever), e.g. PT30S.")
    Duration duration;

    @Option(names = "--groups", description = "Stop after this many groups per track (default: no limit).")
    Long groups;

    @Option(names = "--datagrams", description = "With --format raw: mark groups as datagram groups. IETF"
            + " moq-transport sends the objects as OBJECT_DATAGRAMs (objects larger than the peer's datagram size go"
            + " on a stream); moq-lite-05 over raw QUIC or WebTransport sends a group that ends with one frame of at"
            + " most 1200 bytes as one datagram, when the next group starts (others on streams) (default: streams).")
    boolean datagrams;

    @Override
    public Integer call() throws Exception {
        // With fmp4, Ctrl-C or SIGTERM ends it as --duration does: open groups finished, the broadcast and the
        // session closed (subscribers see it end at once), the client shut down, then the JVM exits.
        try (StopSignal stop = format == Format.fmp4 ? new StopSignal(Duration.ofSeconds(5)) : null;
                MoqClient client = connect.client(1)) {
            ClientSession session = client.connect(connect.url).get(15, TimeUnit.SECONDS);
            System.err.println("connected version=" + session.version() + " transport=" + session.transport().label());
            if (format == Format.fmp4) {
                if (input == null) {
                    System.err.println("pub: --format fmp4 needs --input FILE or --input - (stdin)");
                    return 2;
                }
                long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                new MediaPublisher(session, input, loop, pace, () -> System.nanoTime() >= deadline
                        || stop.isRequested() || session.closed().getNow(null) != null).run(broadcast);
                Thread.sleep(100);
                session.close();
                return 0;
            }
            Broadcast b = session.publish(broadcast);
            List<Track> ts = new ArrayList<>();
            for (int i = 0; i < tracks; i++) {
                ts.add(b.createTrack(tracks == 1 ? track : track + "-" + i));
            }
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            InputStream in = input == null ? null : input.equals("-") ? System.in : Files.newInputStream(Path.of(input));
            long periodNanos = (long) (1e9 / fps);
            long next = System.nanoTime();
            long frameNo = 0;
            Group[] open = new Group[ts.size()];
            boolean more = true;
            while (more && System.nanoTime() < deadline && session.closed().getNow(null) == null) {
                long seq = frameNo / framesPerGroup;
                if (groups != null && seq >= groups) {
                    break;
                }
                boolean first = frameNo % framesPerGroup == 0;
                byte[] data = null;
                if (in != null) {
                    data = in.readNBytes(frameSize);
                    if (data.length == 0) {
                        break;
                    }
                }
                final byte[] payload = data;
                final long frame = frameNo;
                CompletableFuture<Void> done = new CompletableFuture<>();
                session.executor().execute(() -> {
                    for (int i = 0; i < ts.size(); i++) {
                        if (first) {
                            if (open[i] != null) {
                                open[i].finish();
                            }
                            open[i] = ts.get(i).createGroup(seq);
                            if (datagrams && open[i] != null) {
                                open[i].markDatagram();
                            }
                        }
                        if (open[i] != null) {
                            open[i].append(frame(payload, frame));
                        }
                    }
                    done.complete(null);
                });
                done.get(5, TimeUnit.SECONDS);
                frameNo++;
                if (in == null) {
                    next += periodNanos;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
            }
            CompletableFuture<Void> closed = new CompletableFuture<>();
            session.executor().execute(() -> {
                for (Group g : open) {
                    if (g != null) {
                        g.finish();
                    }
                }
                closed.complete(null);
            });
            closed.get(5, TimeUnit.SECONDS);
            // Give subscribers a moment to drain the tail before the broadcast ends.
            Thread.sleep(200);
            b.close();
            Thread.sleep(100);
            session.close();
            if (in != null && in != System.in) {
                in.close();
            }
            System.err.println("published frames=" + frameNo);
            return 0;
        } catch (IOException | dev.jmoq.cli.media.Mp4Exception e) {
            System.err.println("pub: " + e.getMessage());
            return 1;
        }
    }

    private ByteBuf frame(byte[] payload, long frameNo) {
        if (payload != null) {
            return ByteBufAllocator.DEFAULT.buffer(payload.length).writeBytes(payload);
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(Math.max(16, frameSize));
        buf.writeLong(System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L);
        buf.writeLong(frameNo);
        // Byte i of the frame (from 16) is (frameNo + i) mod 256: a receiver can check every byte it got.
        for (int i = 16; i < frameSize; i++) {
            buf.writeByte((int) (frameNo + i));
        }
        return buf;
    }
}
