package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.GroupOrder;
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
 * <p>Policy: the track is read through a {@link TrackCursor}: a subscription starts at the group it asked for
 * (groups the cache still holds are sent from the cache) or at the newest group, and ends after its end group. Each
 * group gets its own stream. Priority ({@link StreamRanking}): the subscription's class (subscriber priority, then
 * publisher priority) gives it a band of urgencies among the session's subscriptions; within the band its open
 * streams are ranked by the group's publisher priority and the subscription's group order (descending, the default:
 * the newest group most urgent and each older one demoted as newer ones open; ascending: the oldest first), so a
 * congested link carries the preferred group first. Writes follow the same order, and each stream that opens goes
 * to the preferred waiting group. The order changes which group is preferred, never the bounds below
 * ({@link EgressBounds}). Frames are written only while the stream is writable, so the transport's queue per subscriber
 * stays bounded; when a stream turns writable again it wakes the drain. A subscriber that cannot keep up never
 * blocks the publisher: once more than {@code groupsInFlight} open streams hold a backlog, the oldest is reset with
 * the protocol's lagging code; when the arrival ring laps it, it skips forward.
 *
 * <p>Stream credit: streams are requested from the transport, never more than the groups waiting for one, and each
 * stream that opens goes to the preferred group still waiting. At most four times {@code groupsInFlight} groups
 * wait; beyond that the oldest waiting group is dropped (counted as lagging) and its request withdrawn while the
 * transport still queues it, so a peer that grants few streams costs no memory, still receives the newest groups,
 * and gets everything again once its credit returns.
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
    /** Where this subscription's streams are ranked: the session's, or its own when none is given. */
    private StreamRanking ranking;
    private int subscriberPriority = dev.jmoq.core.model.Delivery.DEFAULT.priority();
    private GroupOrder order = GroupOrder.DESCENDING;
    private StreamRanking.Member rank;

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
                EgressGroup s = preferredWaiting();
                if (s == null) {
                    return false;
                }
                attach(s, stream);
                return true;
            }

            @Override
            public void openFailed() {
                if (EgressBounds.dropOldestWaiting(sending, stats)) {
                    waiting--;
                }
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

    /**
     * Ranks this subscription's streams among the session's ({@code ranking}, one per session) with the
     * subscriber's priority (0..255, lower is more urgent: the IETF scale, see {@link StreamRanking}) and
     * group order ({@link GroupOrder#PUBLISHER}: the relay's, descending). Set before {@link #start()};
     * without it the egress ranks alone, priority 128, descending.
     */
    public void priority(StreamRanking ranking, int subscriberPriority, GroupOrder order) {
        this.ranking = ranking;
        this.subscriberPriority = subscriberPriority;
        this.order = order.or(GroupOrder.DESCENDING);
    }

    /** The group order this subscription is delivered in (ascending or descending). */
    public GroupOrder groupOrder() {
        return order;
    }

    /**
     * A new subscriber priority (IETF SUBSCRIBE_UPDATE / REQUEST_UPDATE SUBSCRIBER_PRIORITY, moq-lite
     * SUBSCRIBE_UPDATE): re-ranks this subscription's open streams, and the session's if the bands move.
     * Event loop.
     */
    public void subscriberPriority(int priority) {
        subscriberPriority = priority;
        if (rank != null) {
            rank.subscriberPriority(priority);
            rerankNow();
        }
    }

    /**
     * Attaches to the track; the first drain resolves the start group. Nothing once cancelled: a cancel can
     * come first (a request stream already closed runs its close callback at once, {@code SendStream#onClosed}).
     */
    public void start() {
        if (closed) {
            return;
        }
        rank();
        track.subscribe(this);
    }

    /** This subscription's place in the ranking, joined at the start (or the first drain). */
    private StreamRanking.Member rank() {
        if (rank == null) {
            rank = (ranking != null ? ranking : new StreamRanking()).join(subscriberPriority, order, this::rerankNow);
        }
        return rank;
    }

    private void rerankNow() {
        if (!closed) {
            rerank = true;
            reprioritize();
        }
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
        leaveRanking();
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
            leaveRanking();
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

    private void leaveRanking() {
        if (rank != null) {
            rank.leave();
        }
    }

    private void pickUpGroups() {
        Group g;
        while ((g = cursor.next()) != null) {
            if (!forward) {
                g.release();
                continue;
            }
            rank().publisherPriority(g.publisherPriority()); // the newest group's: nothing when unchanged
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

    /** Waiting groups beyond four times {@code groupsInFlight}: the oldest dropped, their requests withdrawn. */
    private void dropExcessWaiting() {
        int dropped = EgressBounds.dropExcessWaiting(sending, waiting, 4 * groupsInFlight, stats);
        if (dropped > 0) {
            waiting -= dropped;
            streams.withdraw(waiting);
        }
    }

    /** The waiting group this subscription prefers (by publisher priority, then group order). */
    private EgressGroup preferredWaiting() {
        EgressGroup best = null;
        for (EgressGroup s : sending) {
            if (s.stream == null && !s.datagrams && (best == null || rank().before(s.group, best.group))) {
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

    /** Re-ranks the open streams when something changed ({@link StreamRanking.Member#rank}). */
    private void reprioritize() {
        if (rerank) {
            rerank = false;
            rank().rank(sending);
        }
    }

    private void write() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        // The preferred group first (descending: the newest, the one a live viewer needs): over a transport
        // that sends equal urgencies in the order written (qmux), the order of writes is the tie-break.
        var it = order == GroupOrder.ASCENDING ? sending.iterator() : sending.descendingIterator();
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

    /** Backlogged groups beyond {@code groupsInFlight}: the oldest reset with the lagging code. */
    private void resetLagging() {
        if (EgressBounds.resetLagging(sending, groupsInFlight, resetLaggingCode, stats) > 0) {
            rerank = true;
        }
    }

}
