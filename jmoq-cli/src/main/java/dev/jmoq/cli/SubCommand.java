package dev.jmoq.cli;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jmoq sub}: subscribes to a track and writes its frames out. */
@Command(name = "sub", mixinStandardHelpOptions = true, description = "Subscribe to a track.")
public final class SubCommand implements Callable<Integer> {
    enum Format { raw, hex_lines, groups }

    @Mixin
    ConnectOptions connect;

    @Option(names = "--broadcast", required = true, description = "Broadcast path.")
    String broadcast;

    @Option(names = "--track", description = "Track name (default: ${DEFAULT-VALUE}).", defaultValue = "video")
    String track;

    @Option(names = "--format", description = "raw (frame bytes), hex_lines (one line per frame: group index hex), groups (one line per group) (default: ${DEFAULT-VALUE}).",
            defaultValue = "raw")
    Format format;

    @Option(names = "--out", description = "Write to this file instead of stdout.")
    Path out;

    @Option(names = "--frames", description = "Exit after this many frames.")
    Long frames;

    @Option(names = "--duration", description = "Exit after this long, e.g. PT10S.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        OutputStream sink = out == null ? System.out : Files.newOutputStream(out);
        PrintStream ps = new PrintStream(new BufferedOutputStream(sink, 1 << 16), false);
        CompletableFuture<Long> ended = new CompletableFuture<>();
        long[] count = {0};
        try (MoqClient client = connect.client(1)) {
            ClientSession session = client.connect(connect.url).get(15, TimeUnit.SECONDS);
            System.err.println("connected version=" + session.version() + " transport=" + session.transport().label());
            Track t = session.subscribe(broadcast, track);
            // Frames per group, by sequence: groups are delivered on streams of their own and may interleave.
            java.util.Map<Long, Long> groupFrames = new java.util.HashMap<>();
            TrackReader reader = new TrackReader(t, session.executor(), new TrackReader.Handler() {
                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    switch (format) {
                        case raw -> {
                            try {
                                frame.getBytes(frame.readerIndex(), ps, frame.readableBytes());
                            } catch (IOException e) {
                                ended.completeExceptionally(e);
                            }
                        }
                        case hex_lines -> ps.println(sequence + " " + index + " " + ByteBufUtil.hexDump(frame));
                        case groups -> groupFrames.merge(sequence, 1L, Long::sum);
                    }
                    count[0]++;
                    if (frames != null && count[0] >= frames) {
                        ended.complete(-1L);
                    }
                }

                @Override
                public void onGroupEnd(long sequence, boolean aborted) {
                    if (format == Format.groups) {
                        Long n = groupFrames.remove(sequence);
                        ps.println("group " + sequence + " frames=" + (n == null ? 0 : n) + (aborted ? " aborted" : ""));
                    }
                    ps.flush();
                }

                @Override
                public void onEnd(long code) {
                    ended.complete(code);
                }
            });
            session.executor().execute(reader::start);
            session.closed().whenComplete((c, e) -> ended.complete(c == null ? -1L : c));
            long code;
            try {
                code = duration == null ? ended.get() : ended.get(duration.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                code = -1;
            }
            ps.flush();
            System.err.println("received frames=" + count[0] + (code >= 0 ? " ended code=" + code : ""));
            session.close();
            return code > 0 ? 1 : 0;
        } finally {
            ps.flush();
            if (out != null) {
                ps.close();
            }
        }
    }
}
