package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * Sends one subscription's groups to the peer, one stream per group: the track distributor's subscriber.
 *
 * <p>Policy: a new subscription starts at the newest group (from its first frame), then follows groups
 * in arrival order. Each group gets its own stream, newer groups more urgent than older ones. Frames are
 * written only while the stream is writable, so the transport's queue per subscriber stays bounded;
 * when a stream turns writable again it wakes the drain. A subscriber that cannot keep up never blocks
 * the publisher: once more than {@code groupsInFlight} groups are open, the oldest is reset with the
 * protocol's lagging code; when the arrival ring laps it, it skips forward to the newest group.
 *
 * <p>Threading: every method runs on the connection's event loop (the drain is scheduled there by the
 * distributor). Buffers: frames are sent as retained slices of the cached buffers, never copied; each
 * started group holds a reference that is given back when its stream ends.
 */
public final class GroupEgress extends TrackSubscriber {
    /** Bytes composed into one stream write beyond the stream's credit (the transport queues the rest). */
    private static final long BATCH_BYTES = 64 * 1024;
    /** Components of one write: the group header and up to 31 frames with their headers. */
    private static final int MAX_COMPONENTS = 64;
    private final MoqConnection connection;
    private final Track track;
    private final long subscription;
    private final GroupFraming framing;
    private final int groupsInFlight;
    private final long resetLaggingCode;
    private final EgressStats stats;
    private final LongConsumer onEnd;
    private final ArrayDeque<Sending> sending = new ArrayDeque<>();
    private final Runnable wakeTask = this::wake;
    private LongConsumer onGroup;

    private long cursor = -1;
    private long startSequence = -1;
    /** {@link #startFrom}'s arrival index, or -1: begin at the newest group. */
    private long fromArrival = -1;
    private long fromSequence = -1;
    private boolean closed;

    /** One group being sent. */
    private final class Sending {
        final Group group;
        SendStream stream;
        boolean opening;
        boolean failed;
        boolean abandoned;
        /** The group header, written together with the first frames (one packet, not two). */
        ByteBuf header;
        GroupFraming.FrameHeaders frames;
        int next;

        Sending(Group group) {
            this.group = group;
        }
    }

    /**
     * @param resetLaggingCode the protocol's code for a group abandoned because the subscriber lagged
     * @param onEnd            runs once when the subscription ends: with -1 after the track ended cleanly
     *                         and every group was sent, or with the track's abort code
     */
    public GroupEgress(MoqConnection connection, Track track, long subscription, GroupFraming framing,
            int groupsInFlight, long resetLaggingCode, EgressStats stats, LongConsumer onEnd) {
        super(connection.eventLoop());
        this.connection = connection;
        this.track = track;
        this.subscription = subscription;
        this.framing = framing;
        this.groupsInFlight = groupsInFlight;
        this.resetLaggingCode = resetLaggingCode;
        this.stats = stats;
        this.onEnd = onEnd;
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
     * Start option (set before {@link #start()}): instead of the newest group, the first drain starts at the
     * group that arrived {@code arrival}-th ({@link Track#arrivals()} taken earlier: every group that
     * arrives from then on is sent, those already dropped from the arrival ring are skipped) and sends no
     * group below {@code minSequence} (-1: no bound). The IETF sessions use it for the subscription
     * filters of draft-ietf-moq-transport (5.1.2): a track with no content yet when the SUBSCRIBE was
     * processed starts at {0, 0}, Next Group Start at the group after the largest one.
     */
    public void startFrom(long arrival, long minSequence) {
        this.fromArrival = Math.max(0, arrival);
        this.fromSequence = minSequence;
    }

    /** Attaches to the track; the first drain starts at its newest group (or where {@link #startFrom} says). */
    public void start() {
        track.subscribe(this);
    }

    /** Stops sending: resets open group streams with {@code code} and detaches. Idempotent. */
    public void cancel(long code) {
        if (closed) {
            return;
        }
        closed = true;
        track.unsubscribe(this);
        while (!sending.isEmpty()) {
            Sending s = sending.pollFirst();
            if (s.failed) {
                continue; // its reference was given back when opening failed
            }
            if (s.stream != null) {
                s.stream.reset(code);
            } else {
                s.abandoned = true;
            }
            releaseHeader(s);
            s.group.release();
        }
    }

    public long subscription() {
        return subscription;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    protected void drain() {
        if (closed) {
            return;
        }
        if (!connection.isOpen()) {
            cancel(0);
            return;
        }
        if (track.isClosed() && track.closeCode() >= 0) {
            // The publisher went away: abandon what is in flight with its code, end at once.
            long code = track.closeCode();
            cancel(code);
            onEnd.accept(code);
            return;
        }
        if (cursor < 0) {
            begin();
        }
        pickUpArrivals();
        write();
        if (track.isClosed() && sending.isEmpty() && cursor >= track.arrivals()) {
            long code = track.closeCode();
            closed = true;
            track.unsubscribe(this);
            onEnd.accept(code);
        }
    }

    /** Starts at the newest group: it is sent first, then every group that arrives after it. */
    private void begin() {
        if (fromArrival >= 0) {
            cursor = fromArrival;
            startSequence = fromSequence;
            return;
        }
        long arrivals = track.arrivals();
        Group latest = track.latest();
        if (latest != null && latest.arrival() < arrivals) {
            cursor = latest.arrival();
            startSequence = latest.sequence();
        } else {
            cursor = arrivals;
        }
    }

    private void pickUpArrivals() {
        long arrivals = track.arrivals();
        long oldest = track.oldestArrival();
        if (cursor < oldest) {
            // Lapped: everything between was overwritten in the arrival ring; skip to what is left.
            stats.groupsSkipped.add(oldest - cursor);
            cursor = oldest;
        }
        while (cursor < arrivals) {
            Group g = track.atArrival(cursor++);
            if (g == null || g.sequence() < startSequence || g.isEvicted() || !g.tryRetain()) {
                stats.groupsSkipped.increment();
                continue;
            }
            sending.addLast(new Sending(g));
            stats.groupsOut.increment();
            if (onGroup != null) {
                onGroup.accept(g.sequence());
            }
        }
    }

    private void write() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        // Newest first: it is the most urgent and the one a viewer needs.
        var it = sending.descendingIterator();
        int rank = 0;
        while (it.hasNext()) {
            Sending s = it.next();
            if (s.stream == null && !s.failed) {
                if (!s.opening) {
                    open(s, rank);
                }
            }
            if (s.failed) {
                it.remove();
                continue;
            }
            if (s.stream != null && writeFrames(s, alloc)) {
                it.remove();
            }
            rank++;
        }
        resetLagging();
    }

    /**
     * After writing, groups whose stream holds a backlog (frames received that the stream could not take)
     * beyond {@code groupsInFlight} are the ones this subscriber cannot keep up with: the oldest are reset
     * with the lagging code so the newest get the link. A group that is merely still open at the publisher
     * has no backlog and is never reset; neither is a burst the transport absorbs. Groups whose stream is
     * still being opened (the peer's stream limit) are bounded too, at four times as many.
     */
    private void resetLagging() {
        int backlogged = 0;
        int opening = 0;
        for (Sending s : sending) {
            if (s.stream == null) {
                opening++;
            } else if (s.next < s.group.frameCount()) {
                backlogged++;
            }
        }
        var it = sending.iterator();
        while ((backlogged > groupsInFlight || opening > 4 * groupsInFlight) && it.hasNext()) {
            Sending oldest = it.next();
            if (oldest.stream == null) {
                if (opening <= 4 * groupsInFlight) {
                    continue;
                }
                oldest.abandoned = true; // its stream, if it opens later, is reset at once
                opening--;
            } else if (oldest.next < oldest.group.frameCount()) {
                if (backlogged <= groupsInFlight) {
                    continue;
                }
                oldest.stream.reset(resetLaggingCode);
                releaseHeader(oldest);
                backlogged--;
            } else {
                continue;
            }
            it.remove();
            oldest.group.release();
            stats.groupsResetLagging.increment();
        }
    }

    private void open(Sending s, int rank) {
        s.opening = true;
        Future<SendStream> f = connection.openUni();
        if (f.isDone()) {
            opened(s, f, rank);
        } else {
            f.addListener(done -> {
                opened(s, f, rank);
                wake();
            });
        }
    }

    private void opened(Sending s, Future<SendStream> f, int rank) {
        if (!f.isSuccess()) {
            if (!s.abandoned && !s.failed) {
                s.failed = true;
                s.group.release();
                stats.groupsSkipped.increment();
            }
            return;
        }
        SendStream stream = f.getNow();
        if (closed || s.abandoned) {
            stream.reset(resetLaggingCode);
            return;
        }
        s.stream = stream;
        stream.setPriority(Math.min(7, 1 + rank));
        stream.onWritable(wakeTask);
        s.header = framing.groupHeader(ByteBufAllocator.DEFAULT, subscription, s.group.sequence());
        s.frames = framing.frames(s.group);
    }

    /**
     * Writes what the stream can take; returns true when the group is done and its stream ended. Each call
     * hands the stream one buffer (header, frame headers and frames composed, the FIN on the last one when
     * the group has ended): the QUIC stack turns every write into packets at once, so one write per group
     * and drain is one packet for a small frame instead of three.
     */
    private boolean writeFrames(Sending s, ByteBufAllocator alloc) {
        SendStream stream = s.stream;
        Group g = s.group;
        if (stream.isClosed()) {
            // The peer stopped this group (STOP_SENDING) or the stream died: drop it, keep the rest.
            releaseHeader(s);
            g.release();
            return true;
        }
        // Read the state before the count: the producer ends a group only after its last frame, so a
        // group seen ended has all its frames counted.
        boolean ended = !g.isOpen();
        int count = g.frameCount();
        boolean finished = false;
        // The header alone is not worth a packet: it waits for the first frame, or for the group's end.
        while ((s.next < count || (s.header != null && ended)) && stream.isWritable()) {
            // At least one frame per write; more while they fit the stream's credit (or a 64 KiB batch).
            long budget = Math.max(stream.bytesBeforeUnwritable(), BATCH_BYTES);
            CompositeByteBuf out = alloc.compositeDirectBuffer(MAX_COMPONENTS);
            if (s.header != null) {
                out.addComponent(true, s.header);
                s.header = null;
            }
            while (s.next < count && out.readableBytes() < budget && out.numComponents() + 2 <= MAX_COMPONENTS) {
                int index = s.next++;
                ByteBuf frame = g.frame(index);
                int size = frame.readableBytes();
                out.addComponent(true, s.frames.frameHeader(alloc, index, size));
                out.addComponent(true, frame.retainedSlice());
                stats.framesOut.increment();
                stats.bytesOut.add(size);
            }
            if (s.next == count && ended && !g.isAborted()) {
                // The FIN rides on the last data: a FIN on its own, after the data was flushed, is
                // sometimes not delivered by the QUIC stack we use (see docs/ARCHITECTURE.md).
                stream.writeAndFinish(out);
                finished = true;
                break;
            }
            stream.write(out);
            stream.flush();
        }
        if (s.next == count && ended && s.header == null) {
            if (g.isAborted()) {
                stream.reset(g.abortCode());
            } else if (!finished) {
                stream.finish(); // the group ended after its last frame went out: a FIN of its own
            }
            g.release();
            return true;
        }
        return false;
    }

    private static void releaseHeader(Sending s) {
        if (s.header != null) {
            s.header.release();
            s.header = null;
        }
    }
}
