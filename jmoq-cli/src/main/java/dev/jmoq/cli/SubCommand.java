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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jmoq sub}: subscribes to a track and writes its frames out; with {@code --format fmp4} a whole hang broadcast as MP4 ({@link MediaSubscriber}). */
@Command(name = "sub", mixinStandardHelpOptions = true, description = "Subscribe to a track.")
public final class SubCommand implements Callable<Integer> {
    enum Format { raw, hex_lines, groups, fmp4 }

    @Mixin
    ConnectOptions connect;

    @Option(names = "--broadcast", required = true, description = "Broadcast path.")
    String broadcast;

    @Option(names = "--track", description = "Track name (default: ${DEFAULT-VALUE}).", defaultValue = "video")
    String track;

    @Option(names = "--format", description = "raw (frame bytes), hex_lines (one line per frame: group index hex), groups (one line"
            + " per group), fmp4 (the whole hang broadcast as one fragmented MP4: --track is ignored) (default: ${DEFAULT-VALUE}).",
            defaultValue = "raw")
    Format format;

    @Option(names = "--out", description = "Write to this file instead of stdout ('-' for stdout).")
    Path out;

    @Option(names = "--record", description = "With --format fmp4: also keep the MP4 in this directory, as <broadcast>-<UTC time>.mp4"
            + " (then stdout gets it only with --out -).")
    Path record;

    @Option(names = "--frames", description = "Exit after this many frames.")
    Long frames;

    @Option(names = "--duration", description = "Exit after this long, e.g. PT10S.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        if (format == Format.fmp4) {
            return fmp4();
        }
        if (record != null) {
            System.err.println("sub: --record needs --format fmp4");
            return 2;
        }
        boolean toStdout = out == null || out.toString().equals("-");
        OutputStream sink = toStdout ? System.out : Files.newOutputStream(out);
        PrintStream ps = new PrintStream(new BufferedOutputStream(sink, 1 << 16), false);
        CompletableFuture<Long> ended = new CompletableFuture<>();
        long[] count = {0};
        try (MoqClient client = connect.client(1)) {
            ClientSession session = client.connect(connect.url).get(15, TimeUnit.SECONDS);
            System.err.println("connected version=" + session.version() + " transport=" + session.transport().label());
            Track t = session.subscribe(broadcast, track);
            // Groups overlap (several are read at once, newest first over WebSocket): count per group.
            GroupCounter groupFrames = new GroupCounter();
            TrackReader reader = TrackReader.ofSubscription(t, session.executor(), new TrackReader.Handler() {
                @Override
                public void onGroupStart(long sequence) {
                    groupFrames.start(sequence);
                }

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
                        case groups -> groupFrames.frame(sequence);
                        case fmp4 -> throw new IllegalStateException("fmp4 is written by MediaSubscriber");
                    }
                    count[0]++;
                    if (frames != null && count[0] >= frames) {
                        ended.complete(-1L);
                    }
                }

                @Override
                public void onGroupEnd(long sequence, boolean aborted) {
                    long n = groupFrames.end(sequence);
                    if (format == Format.groups) {
                        ps.println("group " + sequence + " frames=" + n + (aborted ? " aborted" : ""));
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
            if (!toStdout) {
                ps.close();
            }
        }
    }

    private int fmp4() throws Exception {
        List<OutputStream> sinks = new ArrayList<>();
        Path recordFile = null;
        if (record != null) {
            Files.createDirectories(record);
            String name = broadcast.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()) + ".mp4";
            recordFile = record.resolve(name);
            sinks.add(Files.newOutputStream(recordFile));
        }
        if (out != null && !out.toString().equals("-")) {
            sinks.add(Files.newOutputStream(out));
        } else if (out != null || record == null) {
            sinks.add(System.out);
        }
        OutputStream tee = new BufferedOutputStream(new Tee(sinks), 1 << 16);
        // Ctrl-C or SIGTERM ends a recording as --duration does: the muxer's held samples written, the file
        // flushed, the session closed.
        StopSignal stop = new StopSignal(Duration.ofSeconds(5));
        try (MoqClient client = connect.client(1)) {
            ClientSession session = client.connect(connect.url).get(15, TimeUnit.SECONDS);
            System.err.println("connected version=" + session.version() + " transport=" + session.transport().label());
            MediaSubscriber media = new MediaSubscriber(session, broadcast, tee, frames);
            CompletableFuture<Long> ended = media.start();
            CompletableFuture<Object> first = CompletableFuture.anyOf(ended, stop.requested());
            try {
                first.get(duration == null ? Long.MAX_VALUE : duration.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // the duration is over, or the subscription failed: read below
            }
            long code = -1; // still running: stopped by --duration or a signal
            String error = null;
            if (ended.isDone()) {
                try {
                    code = ended.join();
                } catch (CompletionException e) {
                    error = e.getCause().getMessage();
                }
            }
            String summary = media.finish();
            System.err.println(summary + (recordFile != null ? " recorded=" + recordFile : "") + (error != null ? " error=\"" + error + "\"" : "")
                    + (stop.isRequested() ? " stopped by signal" : ""));
            session.close();
            return error != null || code > 0 ? 1 : 0;
        } finally {
            try {
                tee.close();
                if (recordFile != null && Files.size(recordFile) == 0) {
                    Files.delete(recordFile); // nothing was received: keep no empty recording
                }
            } finally {
                stop.close();
            }
        }
    }

    /** Writes to several streams; closes all but stdout. */
    private static final class Tee extends OutputStream {
        private final List<OutputStream> outs;

        Tee(List<OutputStream> outs) {
            this.outs = outs;
        }

        @Override
        public void write(int b) throws IOException {
            for (OutputStream o : outs) {
                o.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (OutputStream o : outs) {
                o.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            for (OutputStream o : outs) {
                o.flush();
            }
        }

        @Override
        public void close() throws IOException {
            flush();
            for (OutputStream o : outs) {
                if (o != System.out) {
                    o.close();
                }
            }
        }
    }
}
