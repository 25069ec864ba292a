package dev.jmoq.core.client;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
import dev.jmoq.core.model.TrackSubscriber;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Reads a track frame by frame for an application: starts at the newest group (or at a given group
 * still in the cache), then follows every group in arrival order, several at a time when they overlap.
 * The track is read through a {@link TrackCursor}, the same one the relay's egress uses: a reader lapped
 * by the track, or late for a group the cache already evicted, skips forward and is told how many groups
 * it missed.
 *
 * <p>Callbacks run on the given executor, one at a time. The frame passed to {@link Handler#onFrame} is
 * borrowed: valid during the call only (retain or copy it to keep it). Its index is its place in the
 * model's group; status-only objects of an IETF publisher (an empty frame whose {@link Group#objectStatus}
 * is not NORMAL) are not passed on, so indexes may skip one.
 */
public final class TrackReader extends TrackSubscriber {
    /** What the application hears. */
    public interface Handler {
        default void onGroupStart(long sequence) {
        }

        void onFrame(long sequence, int index, ByteBuf frame);

        default void onGroupEnd(long sequence, boolean aborted) {
        }

        default void onSkipped(long groups) {
        }

        /** The track ended: -1 cleanly, otherwise the abort code. */
        default void onEnd(long code) {
        }
    }

    private final Track track;
    private final TrackCursor cursor;
    private final Handler handler;
    private final List<Reading> reading = new ArrayList<>();
    private boolean ended;

    private static final class Reading {
        final Group group;
        int next;

        Reading(Group group) {
            this.group = group;
        }
    }

    /**
     * A reader of a track filled by a subscription ({@code ClientSession.subscribe}): every group the track
     * receives, from its first, in arrival order. Where the subscription starts is the remote's decision, and
     * a relay sends the newest group first, so an older group may arrive after a newer one; a reader from the
     * newest group would drop it.
     */
    public static TrackReader ofSubscription(Track track, Executor executor, Handler handler) {
        return new TrackReader(track, 0, TrackCursor.NO_END, executor, handler);
    }

    /** A reader from the newest group on (a late joiner of a local track). */
    public TrackReader(Track track, Executor executor, Handler handler) {
        this(track, TrackCursor.LATEST, TrackCursor.NO_END, executor, handler);
    }

    /**
     * A reader of groups {@code start} to {@code end} (inclusive); {@link TrackCursor#LATEST} and
     * {@link TrackCursor#NO_END} for the newest group on. It ends after the end group.
     */
    public TrackReader(Track track, long start, long end, Executor executor, Handler handler) {
        super(executor);
        this.track = track;
        this.cursor = new TrackCursor(track, start, end);
        this.handler = handler;
    }

    /** Starts reading. */
    public TrackReader start() {
        track.subscribe(this);
        return this;
    }

    /** Stops reading and releases what is held. Must run on the executor. */
    public void stop() {
        track.unsubscribe(this);
        for (Reading r : reading) {
            r.group.release();
        }
        reading.clear();
        ended = true;
    }

    @Override
    protected void drain() {
        if (ended) {
            return;
        }
        Group g;
        while ((g = cursor.next()) != null) {
            reading.add(new Reading(g));
            handler.onGroupStart(g.sequence());
        }
        long skipped = cursor.takeSkipped();
        if (skipped > 0) {
            handler.onSkipped(skipped);
        }
        for (int i = 0; i < reading.size(); i++) {
            Reading r = reading.get(i);
            boolean done = !r.group.isOpen();
            int count = r.group.frameCount();
            while (r.next < count) {
                // A status-only IETF object (End of Group, End of Track, Does Not Exist) is no frame to the
                // application: the group's end says it.
                if (r.group.objectStatus(r.next) == ObjectStatus.NORMAL) {
                    handler.onFrame(r.group.sequence(), r.next, r.group.frame(r.next));
                }
                r.next++;
            }
            if (done) {
                handler.onGroupEnd(r.group.sequence(), r.group.isAborted());
                r.group.release();
                reading.remove(i--);
            }
        }
        if (reading.isEmpty() && cursor.exhausted()) {
            ended = true;
            track.unsubscribe(this);
            handler.onEnd(cursor.reachedEnd() ? -1 : track.closeCode());
        }
    }
}
