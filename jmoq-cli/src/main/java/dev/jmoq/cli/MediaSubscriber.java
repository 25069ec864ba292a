package dev.jmoq.cli;

import dev.jmoq.cli.media.HangCatalog;
import dev.jmoq.cli.media.HangFrame;
import dev.jmoq.cli.media.HangRecorder;
import dev.jmoq.cli.media.Mp4Exception;
import dev.jmoq.cli.media.Rendition;
import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.TrackReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jmoq sub --format fmp4}: reads a hang broadcast's catalog, subscribes to its H.264, Opus and AAC
 * renditions and writes them as one fragmented MP4 ({@link HangRecorder}). Frames are copied off the
 * session's event loop and written on one writer thread, so a slow output never stalls the connection's
 * loop. Ends when every subscribed track has ended, the session closes, or the caller's limit is reached.
 */
final class MediaSubscriber {
    /** How long after the catalog the file starts even if a track has not yet delivered a usable frame. */
    static final Duration START_DEADLINE = Duration.ofSeconds(5);

    private final ClientSession session;
    private final String broadcast;
    private final HangRecorder recorder;
    private final OutputStream out;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fmp4-writer");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Long> ended = new CompletableFuture<>();
    private final AtomicLong frames = new AtomicLong();
    private final List<TrackReader> readers = new ArrayList<>();
    private final Long frameLimit;
    private TrackReader catalogReader;
    private boolean haveCatalog;

    MediaSubscriber(ClientSession session, String broadcast, OutputStream out, Long frameLimit) {
        this.session = session;
        this.broadcast = broadcast;
        this.out = out;
        this.recorder = new HangRecorder(out);
        this.frameLimit = frameLimit;
    }

    /** Starts reading; the future completes with -1 (clean end or limit) or an error code. */
    CompletableFuture<Long> start() {
        catalogReader = TrackReader.ofSubscription(session.subscribe(broadcast, HangCatalog.TRACK), session.executor(), new TrackReader.Handler() {
            @Override
            public void onFrame(long sequence, int index, ByteBuf frame) {
                if (haveCatalog) {
                    if (index > 0 || sequence > 0) {
                        System.err.println("catalog updated (group " + sequence + " frame " + index + "): the file keeps its first track set");
                    }
                    return;
                }
                if (index != 0) {
                    return; // a patch without its snapshot: wait for the next group
                }
                haveCatalog = true;
                try {
                    List<Rendition> renditions = HangCatalog.renditions(HangCatalog.parse(ByteBufUtil.getBytes(frame)));
                    System.err.println("catalog " + renditions);
                    subscribe(renditions);
                } catch (Mp4Exception e) {
                    ended.completeExceptionally(e);
                }
            }

            @Override
            public void onEnd(long code) {
                if (!haveCatalog) {
                    ended.completeExceptionally(new Mp4Exception("the catalog track of " + broadcast + " ended before a catalog"
                            + (code >= 0 ? " (code " + code + ")" : "")));
                }
            }
        });
        session.executor().execute(catalogReader::start);
        session.closed().whenComplete((c, e) -> ended.complete(c == null ? -1L : c));
        return ended;
    }

    private void subscribe(List<Rendition> renditions) {
        List<String> names = recorder.tracks(renditions);
        if (names.isEmpty()) {
            ended.completeExceptionally(new Mp4Exception("no rendition of " + broadcast + " can be written to MP4"));
            return;
        }
        writer.schedule(() -> run(recorder::start), START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        AtomicInteger open = new AtomicInteger(names.size());
        for (String name : names) {
            TrackReader r = TrackReader.ofSubscription(session.subscribe(broadcast, name), session.executor(), new TrackReader.Handler() {
                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    HangFrame f;
                    try {
                        f = HangFrame.decode(frame);
                    } catch (Mp4Exception e) {
                        System.err.println("track " + name + " group " + sequence + ": " + e.getMessage());
                        return;
                    }
                    long ts = f.timestampMicros();
                    byte[] payload = ByteBufUtil.getBytes(f.payload());
                    writer.execute(() -> run(() -> {
                        recorder.frame(name, sequence, index, ts, payload);
                        if (frameLimit != null && recorder.samples() >= frameLimit) {
                            ended.complete(-1L);
                        }
                    }));
                    frames.incrementAndGet();
                }

                @Override
                public void onEnd(long code) {
                    if (open.decrementAndGet() == 0) {
                        writer.execute(() -> ended.complete(-1L));
                    }
                }
            });
            readers.add(r);
            session.executor().execute(r::start);
        }
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private void run(IoTask task) {
        if (ended.isDone()) {
            return;
        }
        try {
            task.run();
        } catch (IOException | RuntimeException e) {
            ended.completeExceptionally(e);
        }
    }

    /** Frames received from the network. */
    long frames() {
        return frames.get();
    }

    /** Stops the readers, writes what is pending and flushes; returns a summary line. */
    String finish() throws Exception {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        session.executor().execute(() -> {
            if (catalogReader != null) {
                catalogReader.stop();
            }
            readers.forEach(TrackReader::stop);
            stopped.complete(null);
        });
        stopped.get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                recorder.finish();
                flushed.complete(null);
            } catch (IOException | RuntimeException e) {
                flushed.completeExceptionally(e);
            }
        });
        try {
            flushed.get(10, TimeUnit.SECONDS);
        } finally {
            writer.shutdown();
            out.flush();
        }
        return "received frames=" + frames.get() + " samples=" + recorder.samples() + " bytes=" + recorder.bytes()
                + (recorder.dropped() > 0 ? " dropped=" + recorder.dropped() : "");
    }
}
