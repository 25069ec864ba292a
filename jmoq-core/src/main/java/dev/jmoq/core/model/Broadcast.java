package dev.jmoq.core.model;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named set of tracks announced at a path. Either static (the producer creates its tracks with
 * {@link #createTrack}) or backed by a {@link TrackSource} that makes tracks when first asked for, as a
 * relay does for a remote publisher: however many subscribers a track has, the source is asked once.
 *
 * <p>Thread-safe: tracks live in a concurrent map; a track's creation and removal are atomic per name.
 */
public final class Broadcast {
    private final String path;
    private final CacheConfig cacheConfig;
    private final TrackSource source;
    private final ScheduledExecutorService lingerScheduler;
    private final long lingerMillis;
    private final List<Long> hops;
    private final ConcurrentHashMap<String, Track> tracks = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long closeCode = -1;
    private volatile Object sourceContext;
    private final java.util.concurrent.CopyOnWriteArrayList<Runnable> closeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.CopyOnWriteArrayList<java.util.function.Consumer<Track>> trackListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A static broadcast: tracks exist only once {@link #createTrack} made them. */
    public Broadcast(String path, CacheConfig cacheConfig) {
        this(path, cacheConfig, null, null, 0, List.of());
    }

    /**
     * @param source          makes requested tracks; null for a static broadcast
     * @param lingerScheduler runs the delayed removal of unused on-demand tracks; null removes at once
     * @param lingerMillis    how long an on-demand track outlives its last subscriber
     * @param hops            origin identifiers of the relays this announcement crossed (for loop avoidance)
     * @throws IllegalArgumentException when {@link Paths#problem} refuses {@code path}
     */
    public Broadcast(String path, CacheConfig cacheConfig, TrackSource source,
            ScheduledExecutorService lingerScheduler, long lingerMillis, List<Long> hops) {
        this.path = Paths.checked(path);
        this.cacheConfig = cacheConfig;
        this.source = source;
        this.lingerScheduler = lingerScheduler;
        this.lingerMillis = lingerMillis;
        this.hops = List.copyOf(hops);
    }

    public String path() {
        return path;
    }

    /** Who fills this broadcast's tracks on demand, or null for a static broadcast. */
    public TrackSource source() {
        return source;
    }

    /** What the source uses to find this broadcast again (a session keeps the path its peer used). */
    public Object sourceContext() {
        return sourceContext;
    }

    public void setSourceContext(Object context) {
        this.sourceContext = context;
    }

    public List<Long> hops() {
        return hops;
    }

    /** Creates (or returns the existing) track for a producer. Null once the broadcast is closed. */
    public Track createTrack(String name) {
        if (closed.get()) {
            return null;
        }
        Track[] created = new Track[1];
        Track track = tracks.computeIfAbsent(name, n -> created[0] = new Track(n, this, cacheConfig));
        if (created[0] != null) {
            trackCreated(created[0]);
        }
        return track;
    }

    /**
     * Runs {@code listener} with each track made from now on ({@link #createTrack} by a producer, or
     * {@link #requestTrack} for a subscriber), on the thread that made it, after it is in the broadcast.
     * IETF SUBSCRIBE_TRACKS offers these to its subscriber. Returns what removes the listener.
     */
    public Runnable onTrack(java.util.function.Consumer<Track> listener) {
        trackListeners.add(listener);
        return () -> trackListeners.remove(listener);
    }

    private void trackCreated(Track t) {
        for (java.util.function.Consumer<Track> l : trackListeners) {
            l.accept(t);
        }
    }

    /**
     * The track a subscriber asked for: an existing open one, or for a sourced broadcast a new one the
     * source is asked to fill. Null when it does not exist (static broadcast) or the broadcast is closed.
     */
    public Track requestTrack(String name) {
        return requestTrack(name, Delivery.DEFAULT);
    }

    /**
     * As {@link #requestTrack(String)}; a track made now for the source carries {@code delivery} (see
     * {@link Track#requested()}), so the upstream subscription asks for the first subscriber's priority
     * and group order.
     */
    public Track requestTrack(String name, Delivery delivery) {
        if (closed.get()) {
            return null;
        }
        Track existing = tracks.get(name);
        if (existing != null && !existing.isClosed()) {
            return existing;
        }
        if (source == null) {
            return existing; // a closed static track still serves its cache
        }
        Track[] created = new Track[1];
        Track track = tracks.compute(name, (n, cur) -> {
            if (cur != null && !cur.isClosed()) {
                return cur;
            }
            if (cur != null) {
                cur.clear();
            }
            Track t = new Track(n, this, cacheConfig);
            t.requested(delivery);
            t.onIdle(() -> scheduleUnused(t));
            created[0] = t;
            return t;
        });
        if (created[0] != null) {
            source.onTrackRequested(created[0]);
            trackCreated(created[0]);
        }
        return track;
    }

    private void scheduleUnused(Track track) {
        if (lingerScheduler == null || lingerMillis <= 0) {
            removeIfUnused(track);
        } else {
            try {
                lingerScheduler.schedule(() -> removeIfUnused(track), lingerMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                removeIfUnused(track);
            }
        }
    }

    private void removeIfUnused(Track track) {
        if (track.subscriberCount() == 0 && tracks.remove(track.name(), track)) {
            track.close();
            track.clear();
            if (source != null) {
                source.onTrackUnused(track);
            }
        }
    }

    /**
     * The code a sourced broadcast's tracks are aborted with when it loses its route: 25, moq-lite's CLOSED,
     * what subscribers also get when a publisher goes away. Clients treat it as the end of that
     * subscription and subscribe again (@moq/net 0.3.4 does so by itself while the path is announced,
     * reaching the new route; with a clean end it would keep waiting on the old subscription). A family
     * serving another maps it as any abort code.
     */
    public static final long ROUTE_LOST_CODE = 25;

    /**
     * This broadcast stopped being the active route at its path while still open (a republish from
     * another session replaced it, or a shorter route came up): every subscription bound to it ends at
     * once, so subscribers follow the path's announcement to the new route instead of waiting on this one.
     * For a sourced broadcast each track is let go (its source is told, which ends the upstream
     * subscription) and aborted with {@link #ROUTE_LOST_CODE}; asked for again (it may become the active
     * route again), a new track is made. A static broadcast's tracks belong to their producer and are left
     * alone. Called by {@link Origin}; any thread; idempotent.
     */
    public void routeLost() {
        if (source == null || closed.get()) {
            return;
        }
        for (Track t : tracks.values()) {
            if (tracks.remove(t.name(), t)) {
                t.abort(ROUTE_LOST_CODE);
                source.onTrackUnused(t);
            }
        }
    }

    /** The track with this name if it exists; never creates. */
    public Track track(String name) {
        return tracks.get(name);
    }

    public Collection<Track> tracks() {
        return tracks.values();
    }

    /** Ends every track (subscribers drain what they have, then end) and runs the close listeners. Idempotent. */
    public void close() {
        close(-1);
    }

    /** As {@link #close()}, with tracks aborted with {@code code} (the publisher vanished). */
    public void close(long code) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeCode = code;
        for (Track t : tracks.values()) {
            if (code < 0) {
                t.close();
            } else {
                t.abort(code);
            }
        }
        for (Runnable r : closeListeners) {
            r.run();
        }
    }

    /** Frees every cached group of every track; after {@link #close()} when nobody can still be reading. */
    public void clear() {
        for (Track t : tracks.values()) {
            t.clear();
        }
        tracks.clear();
    }

    public boolean isClosed() {
        return closed.get();
    }

    public long closeCode() {
        return closeCode;
    }

    /** Runs {@code listener} when the broadcast closes (at once if it already has). */
    public void onClose(Runnable listener) {
        closeListeners.add(listener);
        if (closed.get() && closeListeners.remove(listener)) {
            listener.run();
        }
    }

    @Override
    public String toString() {
        return "Broadcast[" + path + "]";
    }
}
