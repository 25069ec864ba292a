package dev.jmoq.core.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A track: its group cache and its distributor, in one object.
 *
 * <h2>Group cache</h2>
 * Two rings of the same power-of-two size: one indexed by group sequence (O(1) lookup for late joiners
 * and fetches), one by arrival order (what subscribers walk). A group stays cached while its sequence is
 * within {@code maxGroups} of the newest, it is younger than {@code maxAge} (by the cache's clock), and the
 * track's own byte cap and the relay-wide byte budget hold; the newest group is always kept. Groups may arrive out of order and concurrently; a
 * duplicate sequence or one already below the window is refused ({@link #createGroup} returns null).
 * Eviction unlinks the group and drops the cache's reference; its buffers are freed when the last reader
 * lets go ({@link Group#release}).
 *
 * <h2>Distributor</h2>
 * Subscribers live in a copy-on-write array: adding and removing take the track's lock, notifying walks
 * the array without one and calls {@link TrackSubscriber#wake()} on each (coalesced, allocation-free).
 *
 * <h2>Concurrency contract</h2>
 * Readers ({@link #atArrival}, {@link #bySequence}, {@link #latest}, {@link #arrivals}) are lock-free
 * from any thread. Structural writes (creating and evicting groups, subscribing, closing) take the
 * track's monitor: once per group, never per frame. Frames are appended by each group's single writer
 * without a lock ({@link Group#append}). A reader that was lapped in the arrival ring gets null from
 * {@link #atArrival} and skips forward, as a lapped receiver does in a broadcast ring buffer.
 */
public final class Track {
    private static final VarHandle RING = MethodHandles.arrayElementVarHandle(Group[].class);
    private static final TrackSubscriber[] NO_SUBSCRIBERS = new TrackSubscriber[0];

    /** Why {@link #createGroup} refused a group. */
    public enum Refusal { NONE, CLOSED, DUPLICATE, TOO_OLD }

    private final String name;
    private final Broadcast broadcast;
    private final CacheConfig config;
    private final ByteBudget budget;
    private final int mask;
    private final long maxAgeNanos;
    private final Group[] bySequence;
    private final Group[] byArrival;

    private volatile long arrivals;
    private volatile long newest = -1;
    private long oldestCandidate; // lowest sequence that may still be cached; guarded by this
    private volatile TrackSubscriber[] subscribers = NO_SUBSCRIBERS;
    private volatile boolean closed;
    private volatile long closeCode = -1;
    private volatile Refusal lastRefusal = Refusal.NONE;
    private final TrackStats stats = new TrackStats();
    private volatile Runnable onIdle;
    private volatile Delivery requested = Delivery.DEFAULT;

    public Track(String name, Broadcast broadcast, CacheConfig config) {
        this.name = name;
        this.broadcast = broadcast;
        this.config = config;
        // The track's own cap, inside the relay-wide budget (charged to both).
        this.budget = config.maxBytesPerTrack() > 0 ? new ByteBudget(config.maxBytesPerTrack(), config.budget())
                : config.budget();
        int size = Integer.highestOneBit(Math.max(1, config.maxGroups() - 1)) << 1;
        if (config.maxGroups() == 1) {
            size = 1;
        }
        this.mask = size - 1;
        this.maxAgeNanos = config.maxAge().toNanos();
        this.bySequence = new Group[size];
        this.byArrival = new Group[size];
    }

    public String name() {
        return name;
    }

    /**
     * The delivery the subscriber that caused this track to be requested asked for: what a track source
     * asks upstream for (one upstream subscription serves every later subscriber too).
     */
    public Delivery requested() {
        return requested;
    }

    /** Sets {@link #requested()}: before the source is asked to fill the track. */
    public void requested(Delivery delivery) {
        this.requested = java.util.Objects.requireNonNull(delivery, "delivery");
    }

    /** The broadcast this track belongs to; may be null for a standalone track. */
    public Broadcast broadcast() {
        return broadcast;
    }

    public CacheConfig config() {
        return config;
    }

    /** The budget this track's groups are charged to: its own cap when configured, else the relay-wide one. */
    ByteBudget budget() {
        return budget;
    }

    public TrackStats stats() {
        return stats;
    }

    /** Ring capacity (a power of two at least {@code maxGroups}). */
    public int ringSize() {
        return mask + 1;
    }

    // ---- producer side ----------------------------------------------------------------------

    /**
     * Starts group {@code sequence} and wakes the subscribers. Returns null, and records why in
     * {@link #lastRefusal()}, when the track is closed, the sequence is a duplicate of a cached group, or it
     * is already older than the cache window. The returned group holds a producer reference that
     * {@link Group#finish} or {@link Group#abort} gives back.
     */
    public Group createGroup(long sequence) {
        return createGroup(sequence, config.clock().getAsLong(), true);
    }

    /**
     * As {@link #createGroup(long)}; with {@code wake} false the subscribers are not woken: the writer
     * wakes them later with {@link #notifySubscribers()}, once for what it added in one batch (an ingest
     * does so after the frames, and often the FIN, that arrived with the group's first read).
     */
    public Group createGroup(long sequence, boolean wake) {
        return createGroup(sequence, config.clock().getAsLong(), wake);
    }

    /**
     * As {@link #createGroup(long, boolean)}, with the publisher priority the group arrived with (0..255;
     * -1 for none said: {@link Group#DEFAULT_PUBLISHER_PRIORITY}) set before the group is published, so a
     * subscriber on another thread never ranks it with the default.
     */
    public Group createGroup(long sequence, boolean wake, int publisherPriority) {
        return createGroup(sequence, config.clock().getAsLong(), wake, false, publisherPriority);
    }

    /** As {@link #createGroup(long)} with the arrival time given (for tests of age eviction). */
    public Group createGroup(long sequence, long nowNanos) {
        return createGroup(sequence, nowNanos, true);
    }

    /**
     * As {@link #createGroup(long, boolean)} with {@code wake} false, for a group received as datagrams: it is
     * marked ({@link Group#markDatagram}) before it is published, so no subscriber on another thread can take
     * it up unmarked.
     */
    public Group createDatagramGroup(long sequence) {
        return createDatagramGroup(sequence, -1);
    }

    /** As {@link #createDatagramGroup(long)} with a publisher priority, as {@link #createGroup(long, boolean, int)}. */
    public Group createDatagramGroup(long sequence, int publisherPriority) {
        return createGroup(sequence, config.clock().getAsLong(), false, true, publisherPriority);
    }

    private Group createGroup(long sequence, long nowNanos, boolean wake) {
        return createGroup(sequence, nowNanos, wake, false, -1);
    }

    private Group createGroup(long sequence, long nowNanos, boolean wake, boolean datagram, int publisherPriority) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative group sequence " + sequence);
        }
        Group group;
        synchronized (this) {
            if (closed) {
                return refuse(Refusal.CLOSED);
            }
            long top = newest;
            int window = config.maxGroups();
            if (top >= 0 && sequence <= top - window) {
                return refuse(Refusal.TOO_OLD);
            }
            int slot = (int) (sequence & mask);
            Group existing = (Group) RING.getVolatile(bySequence, slot);
            if (existing != null) {
                if (existing.sequence() == sequence) {
                    return refuse(Refusal.DUPLICATE);
                }
                // Only an older group can share the slot inside the window.
                evict(existing, slot);
            }
            long arrival = arrivals;
            group = new Group(this, sequence, arrival, nowNanos);
            if (datagram) {
                group.markDatagram();
            }
            if (publisherPriority >= 0) {
                group.publisherPriority(publisherPriority);
            }
            RING.setVolatile(bySequence, slot, group);
            RING.setVolatile(byArrival, (int) (arrival & mask), group);
            arrivals = arrival + 1;
            if (sequence > top) {
                newest = sequence;
                if (top < 0) {
                    oldestCandidate = sequence;
                }
                evictBelow(sequence - window + 1);
            } else if (sequence < oldestCandidate) {
                oldestCandidate = sequence;
            }
            evictAged(nowNanos);
            if (budget.exceeded()) {
                evictForBudget();
            }
            stats.groupsIn.increment();
        }
        if (wake) {
            notifySubscribers();
        }
        return group;
    }

    private Group refuse(Refusal why) {
        lastRefusal = why;
        stats.groupsRefused.increment();
        return null;
    }

    /** Why the last {@link #createGroup} returned null. */
    public Refusal lastRefusal() {
        return lastRefusal;
    }

    void onFrame(Group group, int size, boolean wake) {
        stats.framesIn.increment();
        stats.bytesIn.add(size);
        if (budget.exceeded()) {
            synchronized (this) {
                evictForBudget();
            }
        }
        if (wake) {
            notifySubscribers();
        }
    }

    void onGroupEnd(Group group) {
        notifySubscribers();
    }

    /** Ends the track cleanly: subscribers drain what they have, then end. Idempotent. */
    public void close() {
        end(-1);
    }

    /** Ends the track with an error code, 0 or more (the publisher went away, say). Idempotent. */
    public void abort(long code) {
        if (code < 0) {
            throw new IllegalArgumentException("abort code must be 0 or more: " + code);
        }
        end(code);
    }

    private void end(long code) {
        boolean unread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closeCode = code;
            closed = true;
            unread = subscribers.length == 0;
        }
        if (unread) {
            clear(); // nobody is left to read the cache of an ended track
        }
        notifySubscribers();
    }

    /** Evicts every cached group (the track is going away). Subscribers holding references keep them. */
    public void clear() {
        synchronized (this) {
            for (int i = 0; i <= mask; i++) {
                Group g = (Group) RING.getVolatile(bySequence, i);
                if (g != null) {
                    evict(g, i);
                }
            }
            Arrays.fill(byArrival, null);
        }
    }

    /** As {@link #sweep(long)} at the cache's clock's current time. */
    public void sweep() {
        sweep(config.clock().getAsLong());
    }

    /** Evicts groups older than {@code maxAge}, except the newest. Called on each append and by a periodic sweep. */
    public void sweep(long nowNanos) {
        synchronized (this) {
            evictAged(nowNanos);
        }
    }

    // ---- eviction (caller holds the monitor) ---------------------------------------------------

    private void evict(Group g, int slot) {
        RING.setVolatile(bySequence, slot, null);
        g.evict();
        stats.groupsEvicted.increment();
        g.release();
    }

    /** Evicts cached groups with sequence below {@code floor}, walking up from the oldest candidate. */
    private void evictBelow(long floor) {
        long from = oldestCandidate;
        if (floor - from > mask + 1) {
            // A jump wider than the ring: a stale group may sit in any slot (nothing overwrote it), so
            // one pass over the ring finds them all instead of walking the gap sequence by sequence.
            for (int slot = 0; slot <= mask; slot++) {
                Group g = (Group) RING.getVolatile(bySequence, slot);
                if (g != null && g.sequence() < floor) {
                    evict(g, slot);
                }
            }
        } else {
            for (long s = from; s < floor; s++) {
                evictIfPresent(s);
            }
        }
        if (floor > oldestCandidate) {
            oldestCandidate = floor;
        }
    }

    private boolean evictIfPresent(long sequence) {
        int slot = (int) (sequence & mask);
        Group g = (Group) RING.getVolatile(bySequence, slot);
        if (g != null && g.sequence() == sequence) {
            evict(g, slot);
            return true;
        }
        return false;
    }

    private void evictAged(long nowNanos) {
        long top = newest;
        long s = oldestCandidate;
        while (s < top) {
            int slot = (int) (s & mask);
            Group g = (Group) RING.getVolatile(bySequence, slot);
            if (g != null && g.sequence() == s) {
                if (nowNanos - g.createdNanos() <= maxAgeNanos) {
                    break;
                }
                evict(g, slot);
            }
            s++;
        }
        oldestCandidate = s;
    }

    private void evictForBudget() {
        long top = newest;
        long s = oldestCandidate;
        while (s < top && budget.exceeded()) {
            if (evictIfPresent(s)) {
                stats.groupsEvictedForBudget.increment();
            }
            s++;
        }
        oldestCandidate = s;
    }

    // ---- consumer side ----------------------------------------------------------------------

    /** Groups received so far (arrival indexes are {@code 0..arrivals()-1}). */
    public long arrivals() {
        return arrivals;
    }

    /**
     * The group that arrived {@code index}-th, or null when the arrival ring has since been lapped (the
     * reader fell too far behind and must skip to newer arrivals) or the index is not yet reached.
     * The group is not retained: call {@link Group#tryRetain} before reading it.
     */
    public Group atArrival(long index) {
        if (index < 0 || index >= arrivals) {
            return null;
        }
        Group g = (Group) RING.getVolatile(byArrival, (int) (index & mask));
        return g != null && g.arrival() == index ? g : null;
    }

    /** The oldest arrival index a reader can still find in the arrival ring. */
    public long oldestArrival() {
        return Math.max(0, arrivals - (mask + 1));
    }

    /** The cached group with this sequence, or null. Not retained. */
    public Group bySequence(long sequence) {
        if (sequence < 0) {
            return null;
        }
        Group g = (Group) RING.getVolatile(bySequence, (int) (sequence & mask));
        return g != null && g.sequence() == sequence ? g : null;
    }

    /** The highest sequence received, or -1. */
    public long newestSequence() {
        return newest;
    }

    /** The cached group with the highest sequence, or null. Not retained. */
    public Group latest() {
        return bySequence(newest);
    }

    /** The lowest sequence still cached, or -1 when the cache is empty. Lock-free but O(ring). */
    public long earliestSequence() {
        long top = newest;
        if (top < 0) {
            return -1;
        }
        long earliest = -1;
        for (long s = Math.max(0, top - mask); s <= top; s++) {
            if (bySequence(s) != null) {
                earliest = s;
                break;
            }
        }
        return earliest;
    }

    /** Groups currently cached. O(ring). */
    public int cachedGroups() {
        int n = 0;
        for (int i = 0; i <= mask; i++) {
            if (RING.getVolatile(bySequence, i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Bytes currently cached by this track. O(ring). */
    public long cachedBytes() {
        long n = 0;
        for (int i = 0; i <= mask; i++) {
            Group g = (Group) RING.getVolatile(bySequence, i);
            if (g != null) {
                n += g.cachedBytes();
            }
        }
        return n;
    }

    public boolean isClosed() {
        return closed;
    }

    /** -1 for a clean end (or still open); otherwise the abort code. */
    public long closeCode() {
        return closeCode;
    }

    // ---- distributor ------------------------------------------------------------------------

    /**
     * Attaches {@code subscriber} and wakes it once so it can start at the newest group. Any thread.
     * Returns false when the subscriber is already attached to a track.
     */
    public boolean subscribe(TrackSubscriber subscriber) {
        synchronized (this) {
            if (subscriber.track != null) {
                return false;
            }
            TrackSubscriber[] old = subscribers;
            TrackSubscriber[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = subscriber;
            subscriber.track = this;
            subscribers = next;
        }
        subscriber.wake();
        return true;
    }

    /** Detaches {@code subscriber}; idempotent; any thread. Runs the idle callback when it was the last. */
    public void unsubscribe(TrackSubscriber subscriber) {
        Runnable idle = null;
        synchronized (this) {
            TrackSubscriber[] old = subscribers;
            int at = -1;
            for (int i = 0; i < old.length; i++) {
                if (old[i] == subscriber) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return;
            }
            TrackSubscriber[] next;
            if (old.length == 1) {
                next = NO_SUBSCRIBERS;
                idle = onIdle;
            } else {
                next = new TrackSubscriber[old.length - 1];
                System.arraycopy(old, 0, next, 0, at);
                System.arraycopy(old, at + 1, next, at, old.length - at - 1);
            }
            subscriber.track = null;
            subscribers = next;
        }
        if (endedAndUnread()) {
            clear(); // the last reader of an ended track left: free its cache
        }
        if (idle != null) {
            idle.run();
        }
    }

    private boolean endedAndUnread() {
        return closed && subscribers.length == 0;
    }

    public int subscriberCount() {
        return subscribers.length;
    }

    /** Sets what runs when the last subscriber leaves (the broadcast uses it to end on-demand tracks). */
    public void onIdle(Runnable callback) {
        this.onIdle = callback;
    }

    /** Wakes every subscriber. Lock-free, allocation-free: one pass over the copy-on-write array. */
    public void notifySubscribers() {
        final TrackSubscriber[] subs = subscribers;
        for (int i = 0; i < subs.length; i++) {
            subs[i].wake();
        }
    }

    @Override
    public String toString() {
        return "Track[" + (broadcast == null ? "" : broadcast.path() + "/") + name + "]";
    }
}
