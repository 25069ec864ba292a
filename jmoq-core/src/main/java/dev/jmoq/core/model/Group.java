package dev.jmoq.core.model;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One group: an ordered, append-only list of frames that can be decoded on its own.
 *
 * <p>Concurrency contract: exactly one writer (the group's producer: {@link #append}, {@link #finish},
 * {@link #abort}); any number of readers on any threads, lock-free. The writer publishes each frame by
 * a volatile write of the count after storing it, so a reader that sees count {@code n} sees frames
 * {@code 0..n-1}.
 *
 * <p>Lifetime: reference-counted. The group starts with two references, one held by the track's cache
 * and one by the producer; readers take their own with {@link #tryRetain} (which fails once the group
 * was freed) and give it back with {@link #release}. The frames are released when the last reference
 * goes, so eviction never pulls a buffer from under a reader, and a producer still writing to an
 * evicted group never writes into freed memory.
 */
public final class Group {
    private static final VarHandle REF_CNT;
    private static final VarHandle COUNT;
    private static final VarHandle CHARGED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REF_CNT = l.findVarHandle(Group.class, "refCnt", int.class);
            COUNT = l.findVarHandle(Group.class, "count", int.class);
            CHARGED = l.findVarHandle(Group.class, "charged", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final int OPEN = 0;
    static final int FINISHED = 1;
    static final int ABORTED = 2;

    private final Track track;
    private final long sequence;
    private final long arrival;
    private final long createdNanos;

    private volatile ByteBuf[] frames;
    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count;
    private volatile int state = OPEN;
    private volatile long abortCode;
    @SuppressWarnings("unused") // accessed through REF_CNT
    private volatile int refCnt = 2;
    private volatile boolean evicted;
    /** Bytes charged to the byte budget; -1 once evicted (then nothing more is charged). */
    @SuppressWarnings("unused") // accessed through CHARGED
    private volatile long charged;
    private boolean producerReleased;
    private long bytes;

    Group(Track track, long sequence, long arrival, long createdNanos) {
        this.track = track;
        this.sequence = sequence;
        this.arrival = arrival;
        this.createdNanos = createdNanos;
        this.frames = new ByteBuf[8];
    }

    public long sequence() {
        return sequence;
    }

    /** The order in which the track received this group (0 for its first). */
    public long arrival() {
        return arrival;
    }

    public long createdNanos() {
        return createdNanos;
    }

    public Track track() {
        return track;
    }

    // ---- writer side (single thread) -----------------------------------------------------------

    /**
     * Appends a frame and wakes the track's subscribers. Takes ownership of {@code frame}; when the group
     * is no longer open the frame is released and false returned.
     */
    public boolean append(ByteBuf frame) {
        return append(frame, true);
    }

    /**
     * As {@link #append(ByteBuf)}; with {@code wake} false the subscribers are not woken, and the writer
     * wakes them later with {@link Track#notifySubscribers()} (once for a batch of frames).
     */
    public boolean append(ByteBuf frame, boolean wake) {
        if (state != OPEN) {
            frame.release();
            return false;
        }
        int n = (int) COUNT.getOpaque(this);
        ByteBuf[] arr = frames;
        if (n == arr.length) {
            ByteBuf[] bigger = new ByteBuf[arr.length << 1];
            System.arraycopy(arr, 0, bigger, 0, n);
            frames = bigger; // published before the count below
            arr = bigger;
        }
        arr[n] = frame;
        int size = frame.readableBytes();
        bytes += size;
        charge(size);
        COUNT.setVolatile(this, n + 1);
        track.onFrame(this, size, wake);
        return true;
    }

    /** Ends the group cleanly and wakes the subscribers. Idempotent; releases the producer's reference. */
    public void finish() {
        if (state == OPEN) {
            state = FINISHED;
            track.onGroupEnd(this);
        }
        releaseProducer();
    }

    /** Abandons the group with an application code (readers reset their streams with it). Idempotent. */
    public void abort(long code) {
        if (state == OPEN) {
            abortCode = code;
            state = ABORTED;
            track.onGroupEnd(this);
        }
        releaseProducer();
    }

    private void releaseProducer() {
        if (!producerReleased) {
            producerReleased = true;
            release();
        }
    }

    /** Bytes of payload appended so far (writer's view). */
    long bytesWritten() {
        return bytes;
    }

    // ---- reader side (any thread) --------------------------------------------------------------

    /** Frames published so far. */
    public int frameCount() {
        return (int) COUNT.getVolatile(this);
    }

    /**
     * Frame {@code index} (below {@link #frameCount()}), borrowed: valid while the caller holds a reference
     * to this group. Use {@code retainedSlice()} or {@code retainedDuplicate()} to keep it longer.
     */
    public ByteBuf frame(int index) {
        if (index >= frameCount()) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frameCount());
        }
        return frames[index];
    }

    public boolean isOpen() {
        return state == OPEN;
    }

    /** True once the producer finished the group: after reading {@link #frameCount()} frames, a reader is done. */
    public boolean isFinished() {
        return state == FINISHED;
    }

    public boolean isAborted() {
        return state == ABORTED;
    }

    public long abortCode() {
        return abortCode;
    }

    /** True once the cache dropped this group (by count, age or byte budget). */
    public boolean isEvicted() {
        return evicted;
    }

    /** Takes a reader's reference; false when the group was already freed. Lock-free. */
    public boolean tryRetain() {
        int c = (int) REF_CNT.getVolatile(this);
        while (c > 0) {
            int witness = (int) REF_CNT.compareAndExchange(this, c, c + 1);
            if (witness == c) {
                return true;
            }
            c = witness;
        }
        return false;
    }

    /** Gives back a reference; the last one releases every frame. */
    public void release() {
        int c = (int) REF_CNT.getAndAdd(this, -1);
        if (c == 1) {
            deallocate();
        } else if (c <= 0) {
            throw new IllegalStateException("group " + sequence + " released more often than retained");
        }
    }

    /** Current reference count (for tests and metrics). */
    public int refCnt() {
        return (int) REF_CNT.getVolatile(this);
    }

    private void charge(long size) {
        long c = (long) CHARGED.getVolatile(this);
        while (c >= 0) {
            long witness = (long) CHARGED.compareAndExchange(this, c, c + size);
            if (witness == c) {
                track.budget().charge(size);
                return;
            }
            c = witness;
        }
    }

    /** Bytes currently charged to the budget by this group (0 once evicted). */
    public long cachedBytes() {
        return Math.max(0, (long) CHARGED.getVolatile(this));
    }

    /** Marks the group evicted and returns the budget its bytes held. Called once, by the cache. */
    void evict() {
        evicted = true;
        long c = (long) CHARGED.getAndSet(this, -1L);
        if (c > 0) {
            track.budget().credit(c);
        }
    }

    private void deallocate() {
        int n = frameCount();
        ByteBuf[] arr = frames;
        for (int i = 0; i < n; i++) {
            arr[i].release();
            arr[i] = null;
        }
    }

    @Override
    public String toString() {
        return "Group[seq=" + sequence + ", frames=" + frameCount() + ", state=" + state + "]";
    }
}
