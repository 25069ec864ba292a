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
 *
 * <p>What a frame carries besides its payload (what moq-lite-05 and IETF moq-transport need): a
 * timestamp (moq-lite-05 FRAME timestamp, in the track's timescale), an object id (IETF objects may skip
 * ids), extension headers (IETF object properties, kept as the received bytes and passed through
 * untouched) and an object status ({@link ObjectStatus}). These live in parallel arrays allocated the
 * first time a frame has one, so a plain frame (payload only, object id = its index) costs no more than
 * the payload's slot: zero allocation per frame in steady state. How the group ended is its
 * {@link #endStatus()}: end of group, end of track, or a group that does not exist.
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

    /** {@link #timestamp} of a frame that has none (drafts before moq-lite-05). */
    public static final long NO_TIMESTAMP = -1;
    /** {@link #append(long, long, ByteBuf, int, ByteBuf, boolean)}'s object id for "the previous one + 1". */
    public static final long NEXT_OBJECT = -1;
    /**
     * The publisher priority of a group whose publisher said none (a moq-lite source; an IETF subgroup
     * with the default-priority flag): the middle of 0..255 (draft-ietf-moq-transport-14..20, "Priorities").
     */
    public static final int DEFAULT_PUBLISHER_PRIORITY = 128;

    static final int OPEN = 0;
    static final int FINISHED = 1;
    static final int ABORTED = 2;

    private final Track track;
    private final long sequence;
    private final long arrival;
    private final long createdNanos;

    private volatile ByteBuf[] frames;
    /** What frames carry besides their payload; null while every frame is plain (see {@link FrameExtras}). */
    private FrameExtras extras;
    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count;
    private volatile int state = OPEN;
    private volatile long abortCode;
    private volatile int endStatus = ObjectStatus.END_OF_GROUP;
    @SuppressWarnings("unused") // accessed through REF_CNT
    private volatile int refCnt = 2;
    private volatile boolean evicted;
    /** Bytes charged to the byte budget; -1 once evicted (then nothing more is charged). */
    @SuppressWarnings("unused") // accessed through CHARGED
    private volatile long charged;
    private boolean producerReleased;
    private long bytes;
    /** The group's objects arrived (or are to leave) as datagrams: the forwarding preference, kept per group. */
    private volatile boolean datagram;
    /** The publisher priority of the group's subgroup / datagrams (IETF; lower is more urgent). */
    private volatile int publisherPriority = DEFAULT_PUBLISHER_PRIORITY;

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

    /**
     * Marks the group's forwarding preference as datagram (IETF moq-transport OBJECT_DATAGRAM, section
     * "Object Datagram"): set by the producer before the first object; subscribers whose protocol and
     * transport carry datagrams then receive its objects as datagrams, others as an ordinary group stream.
     */
    public void markDatagram() {
        datagram = true;
    }

    /**
     * Sets the publisher priority the group arrived with (IETF subgroup header / datagram "Publisher
     * Priority", 0..255, lower is more urgent): set by the producer before the first object. Egress ranks
     * by it after the subscriber priority and writes it in the IETF headers it sends.
     */
    public void publisherPriority(int priority) {
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("publisher priority must be 0..255: " + priority);
        }
        publisherPriority = priority;
    }

    /** The group's publisher priority, {@link #DEFAULT_PUBLISHER_PRIORITY} unless the publisher said one. */
    public int publisherPriority() {
        return publisherPriority;
    }

    /** True when the group's objects travel as datagrams where the subscriber can take them ({@link #markDatagram}). */
    public boolean isDatagram() {
        return datagram;
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
        if (n == frames.length) {
            grow(n);
        }
        frames[n] = frame;
        if (extras != null) {
            extras.plain(n);
        }
        publish(n, frame.readableBytes(), wake);
        return true;
    }

    /**
     * Appends an object with what it carries besides its payload. Takes ownership of {@code payload} and
     * of {@code extensionHeaders} (null for none); both are released when the group is not open.
     *
     * @param objectId         the object id; must exceed the previous object's (gaps allowed);
     *                         {@link #NEXT_OBJECT} for the previous id + 1
     * @param timestamp        the frame's timestamp in the track's timescale (moq-lite-05), or
     *                         {@link #NO_TIMESTAMP}
     * @param extensionHeaders the object's extension headers as received (IETF "Object Properties"),
     *                         passed through untouched, or null
     * @param status           {@link ObjectStatus#NORMAL} for an object with a payload, or another status
     *                         (whose payload is empty); 0 to 255, stored as given even when unknown
     * @throws IllegalArgumentException when {@code objectId} does not increase
     */
    public boolean append(long objectId, long timestamp, ByteBuf extensionHeaders, int status, ByteBuf payload,
            boolean wake) {
        if (state != OPEN) {
            payload.release();
            if (extensionHeaders != null) {
                extensionHeaders.release();
            }
            return false;
        }
        if (status < 0 || status > 0xFF) {
            payload.release();
            if (extensionHeaders != null) {
                extensionHeaders.release();
            }
            throw new IllegalArgumentException("object status out of range: " + status);
        }
        int n = (int) COUNT.getOpaque(this);
        long previous = n == 0 ? -1 : objectId(n - 1);
        long id = objectId == NEXT_OBJECT ? previous + 1 : objectId;
        if (id <= previous) {
            payload.release();
            if (extensionHeaders != null) {
                extensionHeaders.release();
            }
            throw new IllegalArgumentException("object id " + id + " does not follow " + previous);
        }
        if (n == frames.length) {
            grow(n);
        }
        frames[n] = payload;
        if (extras != null || timestamp != NO_TIMESTAMP || id != n || extensionHeaders != null
                || status != ObjectStatus.NORMAL) {
            if (extras == null) {
                extras = new FrameExtras(); // published with the count below
            }
            extras.set(n, frames.length, id, timestamp, extensionHeaders, status);
        }
        int size = payload.readableBytes() + (extensionHeaders == null ? 0 : extensionHeaders.readableBytes());
        publish(n, size, wake);
        return true;
    }

    private void publish(int n, int size, boolean wake) {
        bytes += size;
        charge(size);
        COUNT.setVolatile(this, n + 1);
        track.onFrame(this, size, wake);
    }

    /** Grows the frame array (and the extras' arrays) to twice {@code n}; published before the count. */
    private void grow(int n) {
        int size = n << 1;
        frames = java.util.Arrays.copyOf(frames, size);
        if (extras != null) {
            extras.grow(size);
        }
    }

    /** Ends the group cleanly and wakes the subscribers. Idempotent; releases the producer's reference. */
    public void finish() {
        finish(ObjectStatus.END_OF_GROUP);
    }

    /**
     * Ends the group cleanly with how it ended: {@link ObjectStatus#END_OF_GROUP}, {@link ObjectStatus#END_OF_TRACK}
     * (no group follows this one) or {@link ObjectStatus#DOES_NOT_EXIST} (the publisher says the group was
     * never produced; it has no frames). Idempotent; the first call decides.
     */
    public void finish(int status) {
        if (status != ObjectStatus.END_OF_GROUP && status != ObjectStatus.END_OF_TRACK
                && status != ObjectStatus.DOES_NOT_EXIST) {
            throw new IllegalArgumentException("not a group end status: " + status);
        }
        if (state == OPEN) {
            endStatus = status; // written before the state, which readers read first
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

    /** How a finished group ended ({@link ObjectStatus#END_OF_GROUP} while open or aborted). */
    public int endStatus() {
        return state == FINISHED ? endStatus : ObjectStatus.END_OF_GROUP;
    }

    /** Frame {@code index}'s timestamp in the track's timescale, or {@link #NO_TIMESTAMP}. */
    public long timestamp(int index) {
        int i = checkIndex(index);
        FrameExtras x = extras;
        return x == null ? NO_TIMESTAMP : x.timestamp(i);
    }

    /** True when some frame of this group carries a timestamp. */
    public boolean hasTimestamps() {
        frameCount(); // the count first: what it covers is then visible
        FrameExtras x = extras;
        return x != null && x.hasTimestamps();
    }

    /** Frame {@code index}'s object id: its index unless the producer gave ids with gaps. */
    public long objectId(int index) {
        int i = checkIndex(index);
        FrameExtras x = extras;
        return x == null ? i : x.objectId(i);
    }

    /**
     * Frame {@code index}'s extension headers as received, or null; borrowed like {@link #frame}. A relay
     * forwards them as a retained slice, untouched.
     */
    public ByteBuf extensions(int index) {
        int i = checkIndex(index);
        FrameExtras x = extras;
        return x == null ? null : x.extensions(i);
    }

    /** Frame {@code index}'s {@link ObjectStatus}; {@link ObjectStatus#NORMAL} for a frame with a payload. */
    public int objectStatus(int index) {
        int i = checkIndex(index);
        FrameExtras x = extras;
        return x == null ? ObjectStatus.NORMAL : x.status(i);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= frameCount()) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frameCount());
        }
        return index;
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
        if (extras != null) {
            extras.release(n);
        }
    }

    @Override
    public String toString() {
        return "Group[seq=" + sequence + ", frames=" + frameCount() + ", state=" + state + "]";
    }
}
