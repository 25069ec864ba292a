package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
import dev.jmoq.core.model.TrackSubscriber;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * Sends one subscription's groups to the peer, one stream per group: the track distributor's subscriber.
 *
 * <p>Policy: the track is read through a {@link TrackCursor}: a subscription starts at the group it asked
 * for (groups the cache still holds are sent from the cache) or at the newest group, and ends after its end
 * group. Each group gets its own stream, and priority follows the group sequence: among this subscription's
 * open streams the newest group is the most urgent, and each older one is demoted as newer ones open
 * (urgency 1 + the number of newer open groups, at most 7), so a congested link carries the newest group
 * first. Frames are written only while the stream is writable, so the transport's queue per subscriber
 * stays bounded; when a stream turns writable again it wakes the drain. A subscriber that cannot keep up
 * never blocks the publisher: once more than {@code groupsInFlight} open streams hold a backlog, the oldest
 * is reset with the protocol's lagging code; when the arrival ring laps it, it skips forward.
 *
 * <p>Stream credit: streams are requested from the transport, never more than the groups waiting for one,
 * and each stream that opens goes to the newest group still waiting. At most four times
 * {@code groupsInFlight} groups wait; beyond that the oldest waiting group is dropped (counted as lagging) and its request withdrawn while
 * the transport still queues it, so a peer that grants few streams costs no memory, still receives the
 * newest groups, and gets everything again once its credit returns.
 *
 * <p>Datagram groups ({@link Group#isDatagram()}): when the framing and the connection carry datagrams,
 * such a group takes no stream; each object leaves as one datagram, or on moq-lite-05 the whole one-frame
 * group as one (see {@link EgressGroup#writeDatagrams}).
 *
 * <p>Threading: every method runs on the connection's event loop (the drain is scheduled there by the
 * distributor). Buffers: frames are sent as retained slices of the cached buffers, never copied; each
 * started group holds a reference that is given back when its stream ends or it is dropped.
 */
public final class GroupEgress extends TrackSubscriber {
    /** Urgency of the newest group's stream; control streams keep the transport's default (3). */
    static final int NEWEST_URGENCY = 1;
    static final int LEAST_URGENCY = 7;

    private final MoqConnection connection;
    private final Track track;
    private final TrackCursor cursor;
    private final long subscription;
    private final GroupFraming framing;
    private final int groupsInFlight;
    private final long resetLaggingCode;
    private final EgressStats stats;
    private final LongConsumer onEnd;
    /** Groups taken and not done, in arrival order. */
    private final ArrayDeque<EgressGroup> sending = new ArrayDeque<>();
    private final StreamRequests streams;
    private final Runnable wakeTask = this::wake;
    private final java.util.function.IntSupplier waitingCount = () -> this.waiting;
    private LongConsumer onGroup;

    private int waiting;
    private boolean rerank;
    /** IETF Forward State: while false, groups that arrive are let go unsent. */
    private boolean forward = true;
    private boolean closed;
    /** A drain is running: {@link #cancel} waits for its end (see there). */
    private boolean draining;
    /** A cancel asked for while draining, run when the drain ends; {@link #NO_CANCEL} for none. */
    private long cancelAfterDrain = NO_CANCEL;
    private static final long NO_CANCEL = Long.MIN_VALUE;

    /** A subscription from the newest group on. */
    public GroupEgress(MoqConnection connection, Track track, long subscription, GroupFraming framing,
            int groupsInFlight, long resetLaggingCode, EgressStats stats, LongConsumer onEnd) {
        this(connection, track, TrackCursor.LATEST, TrackCursor.NO_END, subscription, framing, groupsInFlight,
                resetLaggingCode, stats, onEnd);
    }

    /**
     * @param startGroup       first group to send ({@link TrackCursor#LATEST}: the newest)
     * @param endGroup         last group to send, inclusive ({@link TrackCursor#NO_END}: none)
     * @param resetLaggingCode the protocol's code for a group abandoned because the subscriber lagged
     * @param onEnd            runs once when the subscription ends: with -1 after the end group or the
     *                         track's clean end, once every group was sent, or with the track's abort code
     */
    public GroupEgress(MoqConnection connection, Track track, long startGroup, long endGroup, long subscription,
            GroupFraming framing, int groupsInFlight, long resetLaggingCode, EgressStats stats, LongConsumer onEnd) {
        super(connection.eventLoop());
        this.connection = connection;
        this.track = track;
        this.cursor = new TrackCursor(track, startGroup, endGroup);
        this.subscription = subscription;
        this.framing = framing;
        this.groupsInFlight = Math.max(1, groupsInFlight);
        this.resetLaggingCode = resetLaggingCode;
        this.stats = stats;
        this.onEnd = onEnd;
        this.streams = new StreamRequests(connection, new StreamRequests.Owner() {
            @Override
            public boolean assign(SendStream stream) {
                EgressGroup s = newestWaiting();
                if (s == null) {
                    return false;
                }
                attach(s, stream);
                return true;
            }

            @Override
            public void openFailed() {
                dropOldestWaiting();
            }

            @Override
            public void wake() {
                GroupEgress.this.wake();
            }
        });
    }

    /**
     * Runs {@code listener} with the sequence of each group the egress takes on, before its stream opens
     * (moq-lite-05 answers a subscription with SUBSCRIBE_START and SUBSCRIBE_END from these). Set before
     * {@link #start()}.
     */
    public void onGroup(LongConsumer listener) {
        this.onGroup = listener;
    }

    /** Attaches to the track; the first drain resolves the start group. */
    public void start() {
        track.subscribe(this);
    }

    /**
     * Stops sending: resets open group streams with {@code code} and detaches. Idempotent. Called during a
     * drain (the transport ends the connection inside one of the drain's writes, and the session cancels its
     * subscriptions from that callback), it runs when the drain ends, so the drain never walks groups it
     * has already let go.
     */
    public void cancel(long code) {
        if (draining) {
            if (cancelAfterDrain == NO_CANCEL) {
                cancelAfterDrain = code;
            }
            return;
        }
        cancelNow(code);
    }

    private void cancelNow(long code) {
        if (closed) {
            return;
        }
        closed = true;
        track.unsubscribe(this);
        while (!sending.isEmpty()) {
            EgressGroup s = sending.pollFirst();
            if (s.stream != null) {
                s.stream.reset(code);
            }
            s.releaseHeader();
            s.group.release();
        }
        waiting = 0;
        streams.close(code);
    }

    public long subscription() {
        return subscription;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The group the subscription started at (see {@link TrackCursor#resolvedStart()}); -1 before the first drain. */
    public long resolvedStart() {
        return cursor.resolvedStart();
    }

    @Override
    protected void drain() {
        draining = true;
        try {
            drainOnce();
        } finally {
            draining = false;
        }
        if (cancelAfterDrain != NO_CANCEL) {
            long code = cancelAfterDrain;
            cancelAfterDrain = NO_CANCEL;
            cancelNow(code);
        }
    }

    private void drainOnce() {
        if (closed) {
            return;
        }
        if (!connection.isOpen()) {
            cancelNow(0);
            return;
        }
        if (track.isClosed() && track.closeCode() >= 0 && !cursor.reachedEnd()) {
            // The publisher went away: abandon what is in flight with its code, end at once.
            long code = track.closeCode();
            cancelNow(code);
            onEnd.accept(code);
            return;
        }
        pickUpGroups();
        streams.request(waitingCount);
        dropExcessWaiting();
        reprioritize();
        write();
        resetLagging();
        reprioritize();
        if (sending.isEmpty() && cursor.exhausted()) {
            closed = true;
            track.unsubscribe(this);
            streams.close(0);
            onEnd.accept(cursor.reachedEnd() ? -1 : track.closeCode());
        }
    }

    /**
     * Narrows the groups still to be taken (see {@link TrackCursor#narrow}); groups already taken are still
     * sent. IETF SUBSCRIBE_UPDATE / REQUEST_UPDATE. Event loop.
     */
    public void narrow(long startGroup, long endGroup) {
        cursor.narrow(startGroup, endGroup);
        wake();
    }

    /**
     * The IETF Forward State (draft-ietf-moq-transport, FORWARD parameter): while false, groups that arrive
     * are let go unsent (groups already taken go on); true again sends from the next group that arrives.
     * Event loop.
     */
    public void forward(boolean on) {
        forward = on;
    }

    private void pickUpGroups() {
        Group g;
        while ((g = cursor.next()) != null) {
            if (!forward) {
                g.release();
                continue;
            }
            EgressGroup s = new EgressGroup(g);
            s.datagrams = g.isDatagram() && framing.supportsDatagrams() && connection.maxDatagramSize() > 0;
            sending.addLast(s);
            if (!s.datagrams) {
                waiting++;
            }
            stats.groupsOut.increment();
            if (onGroup != null) {
                onGroup.accept(g.sequence());
            }
        }
        long skipped = cursor.takeSkipped();
        if (skipped > 0) {
            stats.groupsSkipped.add(skipped);
        }
    }

    /**
     * Groups still waiting for a stream (the peer's stream credit is used up) beyond four times
     * {@code groupsInFlight}: the oldest are dropped unsent, and the requests made for them withdrawn.
     */
    private void dropExcessWaiting() {
        int bound = 4 * groupsInFlight;
        if (waiting <= bound) {
            return;
        }
        var it = sending.iterator();
        while (waiting > bound && it.hasNext()) {
            EgressGroup s = it.next();
            if (s.stream == null && !s.datagrams) {
                it.remove();
                waiting--;
                s.group.release();
                stats.groupsResetLagging.increment();
            }
        }
        streams.withdraw(waiting);
    }

    /** The transport cannot open streams (closing): drop the oldest waiting group, so no loop of requests follows. */
    private void dropOldestWaiting() {
        for (var it = sending.iterator(); it.hasNext(); ) {
            EgressGroup s = it.next();
            if (s.stream == null && !s.datagrams) {
                it.remove();
                waiting--;
                s.group.release();
                stats.groupsSkipped.increment();
                return;
            }
        }
    }

    private EgressGroup newestWaiting() {
        EgressGroup best = null;
        for (EgressGroup s : sending) {
            if (s.stream == null && !s.datagrams && (best == null || s.group.sequence() > best.group.sequence())) {
                best = s;
            }
        }
        return best;
    }

    private void attach(EgressGroup s, SendStream stream) {
        s.stream = stream;
        waiting--;
        stream.onWritable(wakeTask);
        // The header and frame headers are made at the first write (writeFrames): the framing may choose
        // them by the group's first frame.
        rerank = true;
    }

    /**
     * Priority follows the group sequence: each open stream's urgency is {@value #NEWEST_URGENCY} plus the
     * number of newer groups with an open stream, so the newest is the most urgent and older ones are
     * demoted as newer ones open (and promoted again as newer ones finish). Only changes are sent.
     */
    private void reprioritize() {
        if (!rerank) {
            return;
        }
        rerank = false;
        for (EgressGroup s : sending) {
            if (s.stream == null) {
                continue;
            }
            int newer = 0;
            for (EgressGroup o : sending) {
                if (o.stream != null && o.group.sequence() > s.group.sequence()) {
                    newer++;
                }
            }
            int urgency = Math.min(LEAST_URGENCY, NEWEST_URGENCY + newer);
            if (urgency != s.urgency) {
                s.urgency = urgency;
                s.stream.setPriority(urgency);
            }
        }
    }

    private void write() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        // Newest first: it is the most urgent and the one a viewer needs.
        var it = sending.descendingIterator();
        while (it.hasNext()) {
            EgressGroup s = it.next();
            if (s.datagrams) {
                switch (s.writeDatagrams(connection, framing, subscription, alloc, stats)) {
                    case DONE -> it.remove();
                    case TO_STREAM -> {
                        waiting++; // the next drain requests its stream
                        wake();
                    }
                    case MORE -> { }
                }
            } else if (s.stream != null && s.writeFrames(framing, subscription, alloc, stats)) {
                it.remove();
                rerank = true;
            }
        }
    }

    /**
     * After writing, groups whose stream holds a backlog (frames received that the stream could not take)
     * beyond {@code groupsInFlight} are the ones this subscriber cannot keep up with: the oldest are reset
     * with the lagging code so the newest get the link. A group that is merely still open at the publisher
     * has no backlog and is never reset; neither is a burst the transport absorbs.
     */
    private void resetLagging() {
        int backlogged = 0;
        for (EgressGroup s : sending) {
            if (s.stream != null && s.next < s.group.frameCount()) {
                backlogged++;
            }
        }
        var it = sending.iterator();
        while (backlogged > groupsInFlight && it.hasNext()) {
            EgressGroup oldest = it.next();
            if (oldest.stream == null || oldest.next >= oldest.group.frameCount()) {
                continue;
            }
            oldest.stream.reset(resetLaggingCode);
            oldest.releaseHeader();
            backlogged--;
            it.remove();
            oldest.group.release();
            stats.groupsResetLagging.increment();
            rerank = true;
        }
    }

}
