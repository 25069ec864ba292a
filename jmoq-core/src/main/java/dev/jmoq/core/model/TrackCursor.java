package dev.jmoq.core.model;

/**
 * One reader's position in a {@link Track}: where it starts, which groups it has taken, where it ends.
 * The relay's egress and the client's reader both read a track through one of these, so the start,
 * lapping, eviction and retain rules are written once.
 *
 * <p>Start: {@link #LATEST} starts at the newest cached group (from its first frame), then every group
 * that arrives after it with a higher sequence; an absolute group sequence starts at the oldest cached
 * group at or above it (older groups the cache still holds are taken from the cache, in arrival order),
 * or waits for it. End: with an end group (inclusive) the cursor is {@linkplain #reachedEnd() done} once
 * that group, or one above it, was seen; groups above the end are never taken.
 *
 * <p>Skips: a group is skipped (and counted, see {@link #takeSkipped()}) when the track's arrival ring
 * lapped the cursor, when the cache already evicted it, or when it was freed before the cursor could
 * retain it. Groups outside the requested range are not skips: they were never asked for.
 *
 * <p>Concurrency contract, in the manner of agrona's {@code BroadcastReceiver}: not thread-safe; one
 * cursor per reader, used by one thread at a time (the reader's drain). Producers append to the track
 * concurrently and never wait for a cursor; a cursor never blocks a producer. A cursor that fell more
 * than the ring's size behind notices it was lapped (its position is below the oldest arrival the ring
 * still holds) and skips forward. Allocation-free.
 *
 * <p>Buffers: {@link #next()} returns the group retained for the caller, who gives the reference back
 * with {@link Group#release()} when done with it.
 */
public final class TrackCursor {
    /** Start at the newest group. */
    public static final long LATEST = -1;
    /** No end group. */
    public static final long NO_END = Long.MAX_VALUE;

    private final Track track;
    private final long start;
    /** Last group to take; only ever lowered ({@link #narrow}). */
    private long end;
    /** Groups below this are not taken ({@link #narrow}); applied to {@link #floor} once resolved. */
    private long minStart;
    private long lastTaken = -1;
    /** Next arrival index to look at; -1 until the first call resolved the start. */
    private long position = -1;
    /** Lowest sequence taken (the resolved start); groups below it are out of range. */
    private long floor;
    private long skipped;
    private long taken;
    private boolean endSeen;

    /** A cursor at the newest group, without an end. */
    public TrackCursor(Track track) {
        this(track, LATEST, NO_END);
    }

    /**
     * @param start group sequence to start at, or {@link #LATEST}
     * @param end   last group sequence to take (inclusive), or {@link #NO_END}; below an absolute
     *              {@code start} the range is empty and the cursor is at its end at once
     * @throws IllegalArgumentException for a negative {@code end} or a start below {@link #LATEST}
     */
    public TrackCursor(Track track, long start, long end) {
        if (start < LATEST || end < 0) {
            throw new IllegalArgumentException("bad group range " + start + ".." + end);
        }
        this.track = track;
        this.start = start;
        this.end = end;
        this.endSeen = start >= 0 && end < start; // an empty range: nothing to take
    }

    public Track track() {
        return track;
    }

    /**
     * The next group to read, retained for the caller, or null when none is ready (or the end was
     * reached). Skips what it must, counting it.
     */
    public Group next() {
        if (position < 0) {
            begin();
        }
        if (endSeen) {
            return null;
        }
        long arrivals = track.arrivals();
        long oldest = track.oldestArrival();
        if (position < oldest) {
            // Lapped: the ring overwrote everything between; skip to what it still holds.
            skipped += oldest - position;
            position = oldest;
        }
        while (position < arrivals) {
            Group g = track.atArrival(position++);
            if (g == null) {
                skipped++; // overwritten between the lap check and now
                continue;
            }
            long sequence = g.sequence();
            if (sequence < floor) {
                continue;
            }
            if (sequence > end) {
                endSeen = true; // the end group is behind us: nothing more is asked for
                return null;
            }
            if (g.isEvicted() || !g.tryRetain()) {
                skipped++;
                if (sequence == end) {
                    endSeen = true;
                }
                continue;
            }
            taken++;
            lastTaken = sequence;
            if (sequence == end) {
                endSeen = true;
            }
            return g;
        }
        return null;
    }

    /** Resolves the start against the cache: done once, at the first {@link #next()}. */
    private void begin() {
        resolveStart();
        if (minStart > floor) {
            floor = minStart;
        }
        if (end < floor) {
            endSeen = true; // narrowed below the start before reading: nothing to take
        }
    }

    private void resolveStart() {
        long arrivals = track.arrivals();
        if (start == LATEST) {
            Group latest = track.latest();
            if (latest != null && latest.arrival() < arrivals) {
                position = latest.arrival();
                floor = latest.sequence();
            } else {
                position = arrivals;
                floor = 0;
            }
            return;
        }
        floor = start;
        position = arrivals;
        // The earliest arrival still in the ring whose group is in range: everything in range the cache
        // holds arrived at or after it.
        for (long a = track.oldestArrival(); a < arrivals; a++) {
            Group g = track.atArrival(a);
            if (g != null && g.sequence() >= start && g.sequence() <= end) {
                position = a;
                break;
            }
        }
    }

    /**
     * Narrows the range while reading (IETF SUBSCRIBE_UPDATE / REQUEST_UPDATE, draft-ietf-moq-transport
     * "Updating Subscriptions"): from now on no group below {@code newStart} or above {@code newEnd} is
     * taken. Bounds never widen (a lower start or a higher end is ignored); groups already taken stay
     * taken. An end at or below the last group taken, or below the start, ends the cursor at once.
     */
    public void narrow(long newStart, long newEnd) {
        if (newStart > minStart) {
            minStart = newStart;
        }
        if (position >= 0 && minStart > floor) {
            floor = minStart;
        }
        if (newEnd >= 0 && newEnd < end) {
            end = newEnd;
            if (lastTaken >= end || (position >= 0 && end < floor)) {
                endSeen = true;
            }
        }
    }

    /** Groups skipped since the last call (lapped, evicted or freed first); resets the count. */
    public long takeSkipped() {
        long n = skipped;
        skipped = 0;
        return n;
    }

    /** Groups handed out by {@link #next()} so far. */
    public long taken() {
        return taken;
    }

    /**
     * The first group sequence this cursor delivers from: the requested start, or for {@link #LATEST} the
     * newest group at the first {@link #next()} (0 when the track had none). -1 before the first call.
     */
    public long resolvedStart() {
        return position < 0 ? -1 : floor;
    }

    /** True once the end group was taken or passed: nothing more will be returned. */
    public boolean reachedEnd() {
        return endSeen;
    }

    /** True when nothing more will come: the end was reached, or the track ended and every arrival was seen. */
    public boolean exhausted() {
        return endSeen || (track.isClosed() && position >= 0 && position >= track.arrivals());
    }
}
