package dev.jmoq.cli;

import dev.jmoq.cli.media.HangCatalog;
import dev.jmoq.cli.media.HangFrame;
import dev.jmoq.cli.media.HangSink;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Puts a hang broadcast into a local {@link Broadcast} that a session publishes: the catalog as a one-frame
 * group of {@code catalog.json}, each media frame encoded in the legacy container and appended to its track's
 * open group, a new group (next sequence) where the importer says so. Frames are encoded on the caller's
 * thread and appended on the session's executor (the model's single writer), in call order.
 */
final class HangBroadcastSink implements HangSink {
    private static final class TrackState {
        final Track track;
        Group group;
        long nextSequence;

        TrackState(Track track) {
            this.track = track;
        }
    }

    private final Broadcast broadcast;
    private final Executor executor;
    private final Map<String, TrackState> tracks = new HashMap<>();
    private long catalogSequence;
    private long groups;

    HangBroadcastSink(Broadcast broadcast, Executor executor) {
        this.broadcast = broadcast;
        this.executor = executor;
    }

    @Override
    public void catalog(byte[] json) {
        ByteBuf frame = Unpooled.wrappedBuffer(json);
        run(frame, () -> {
            Track t = broadcast.createTrack(HangCatalog.TRACK);
            Group g = t == null ? null : t.createGroup(catalogSequence++);
            if (g == null) {
                frame.release();
                return;
            }
            g.append(frame);
            g.finish();
        });
    }

    @Override
    public void frame(String track, boolean newGroup, long timestampMicros, ByteBuffer payload) {
        ByteBuf frame = HangFrame.encode(ByteBufAllocator.DEFAULT, timestampMicros, payload);
        run(frame, () -> {
            TrackState s = tracks.computeIfAbsent(track, n -> {
                Track t = broadcast.createTrack(n);
                return t == null ? null : new TrackState(t);
            });
            if (s == null) {
                frame.release();
                return;
            }
            if (newGroup) {
                if (s.group != null) {
                    s.group.finish();
                }
                s.group = s.track.createGroup(s.nextSequence++);
                groups++;
            }
            if (s.group == null) {
                frame.release();
                return;
            }
            s.group.append(frame);
        });
    }

    /** Runs {@code task} on the executor; the frame it would take is released if the executor refuses it. */
    private void run(ByteBuf frame, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            frame.release();
            throw e;
        }
    }

    /** Groups started (read on the executor, or after {@link #finish}). */
    long groups() {
        return groups;
    }

    /** Finishes every open group; waits up to 5 s for the executor to have run everything before. */
    void finish() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            for (TrackState s : tracks.values()) {
                if (s.group != null) {
                    s.group.finish();
                    s.group = null;
                }
            }
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }
}
