package dev.jmoq.core.client;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Reads a track frame by frame for an application: starts at the newest group, then follows every
 * group in arrival order, several at a time when they overlap. A reader lapped by the track skips
 * forward (and is told how many groups it missed).
 *
 * <p>Callbacks run on the given executor, one at a time. The frame passed to {@link Handler#onFrame} is
 * borrowed: valid during the call only (retain or copy it to keep it).
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
    private final Handler handler;
    private final List<Reading> reading = new ArrayList<>();
    private long cursor = -1;
    private long startSequence = -1;
    private boolean ended;

    private static final class Reading {
        final Group group;
        int next;

        Reading(Group group) {
            this.group = group;
        }
    }

    public TrackReader(Track track, Executor executor, Handler handler) {
        super(executor);
        this.track = track;
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
        if (cursor < 0) {
            Group latest = track.latest();
            long arrivals = track.arrivals();
            if (latest != null && latest.arrival() < arrivals) {
                cursor = latest.arrival();
                startSequence = latest.sequence();
            } else {
                cursor = arrivals;
            }
        }
        long arrivals = track.arrivals();
        long oldest = track.oldestArrival();
        if (cursor < oldest) {
            handler.onSkipped(oldest - cursor);
            cursor = oldest;
        }
        while (cursor < arrivals) {
            Group g = track.atArrival(cursor++);
            if (g == null || g.sequence() < startSequence || !g.tryRetain()) {
                handler.onSkipped(1);
                continue;
            }
            reading.add(new Reading(g));
            handler.onGroupStart(g.sequence());
        }
        for (int i = 0; i < reading.size(); i++) {
            Reading r = reading.get(i);
            boolean done = !r.group.isOpen();
            int count = r.group.frameCount();
            while (r.next < count) {
                handler.onFrame(r.group.sequence(), r.next, r.group.frame(r.next));
                r.next++;
            }
            if (done) {
                handler.onGroupEnd(r.group.sequence(), r.group.isAborted());
                r.group.release();
                reading.remove(i--);
            }
        }
        if (track.isClosed() && reading.isEmpty() && cursor >= track.arrivals()) {
            ended = true;
            track.unsubscribe(this);
            handler.onEnd(track.closeCode());
        }
    }
}
