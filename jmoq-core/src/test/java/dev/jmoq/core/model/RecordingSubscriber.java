package dev.jmoq.core.model;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber that reads a track the way an egress session does: a cursor over the arrival ring, one
 * retained group at a time, frames in order. It checks every frame it reads belongs to its group at the
 * expected index, skips forward when lapped, and counts down {@link #done} once the track has ended and
 * everything reachable was read.
 *
 * <p>All state except the counters read by tests is confined to the executor's thread; tests read the
 * rest after {@link #done} or after the executor terminated.
 */
class RecordingSubscriber extends TrackSubscriber {
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicInteger drains = new AtomicInteger();
    final AtomicInteger gone = new AtomicInteger();
    volatile long frames;
    volatile long lapped;
    volatile long freedBeforeRead;
    volatile String error;
    /** Frames read by the drain that saw the end of the track. */
    volatile long framesAtEnd = -1;
    final List<Long> groups = new ArrayList<>();
    volatile long lastSequence = -1;
    volatile int lastFrameIndex = -1;

    private long nextArrival;
    private Group current;
    private int frameIndex;
    private final long sleepNanosPerDrain;

    RecordingSubscriber(Executor executor) {
        this(executor, 0);
    }

    RecordingSubscriber(Executor executor, long sleepNanosPerDrain) {
        super(executor);
        this.sleepNanosPerDrain = sleepNanosPerDrain;
    }

    @Override
    protected void drain() {
        drains.incrementAndGet();
        Track t = track();
        if (t == null) {
            releaseCurrent();
            return;
        }
        if (sleepNanosPerDrain > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(sleepNanosPerDrain);
        }
        while (true) {
            // Read the end flag before looking for work: when it is set, everything published is visible.
            boolean ended = t.isClosed();
            if (!step(t)) {
                if (ended && current == null && nextArrival >= t.arrivals() && done.getCount() > 0) {
                    framesAtEnd = frames;
                    done.countDown();
                }
                return;
            }
        }
    }

    /** One unit of progress; false when there is nothing to do until the next wake. */
    private boolean step(Track t) {
        if (current == null) {
            if (nextArrival >= t.arrivals()) {
                return false;
            }
            Group g = t.atArrival(nextArrival);
            if (g == null) {
                lapped++;
                nextArrival = Math.max(nextArrival + 1, t.oldestArrival());
                return true;
            }
            nextArrival++;
            if (!g.tryRetain()) {
                freedBeforeRead++;
                return true;
            }
            current = g;
            frameIndex = 0;
            groups.add(g.sequence());
            if (g.sequence() <= lastSequence && error == null) {
                error = "group " + g.sequence() + " after " + lastSequence;
            }
            lastSequence = g.sequence();
        }
        boolean open = current.isOpen(); // before the count: once closed, every frame is published
        int n = current.frameCount();
        boolean progressed = frameIndex < n;
        while (frameIndex < n) {
            ByteBuf f = current.frame(frameIndex);
            if ((Frames.sequenceOf(f) != current.sequence() || Frames.indexOf(f) != frameIndex) && error == null) {
                error = "frame " + Frames.sequenceOf(f) + "/" + Frames.indexOf(f) + " at " + current.sequence() + "/" + frameIndex;
            }
            lastFrameIndex = frameIndex;
            frameIndex++;
            frames++;
        }
        if (!open) {
            releaseCurrent();
            return true;
        }
        return progressed;
    }

    /** Gives back the group being read. Call on the executor, or after it terminated. */
    void releaseCurrent() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    @Override
    protected void onGone() {
        gone.incrementAndGet();
    }
}
