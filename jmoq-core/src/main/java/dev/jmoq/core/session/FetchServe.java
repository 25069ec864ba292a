package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import dev.jmoq.transport.SendStream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.concurrent.Executor;

/**
 * Serves one FETCH of a cached group, whatever the protocol: the group's frames on the request's own
 * stream, each behind the family's frame header ({@link GroupFraming#frames}: moq-lite's bare frame
 * records without a group header, on draft 05 each with its timestamp delta, the first against 0), then
 * FIN (draft-lcurley-moq-lite-05, "FETCH"; also served on moq-lite-03/04 with those drafts' frame format).
 * A group the cache does not hold (never seen, evicted) is not served: {@link #start} says so and the
 * family refuses the request (moq-lite resets the stream with NOT_FOUND; there is no FETCH_ERROR). A
 * group still being written is followed as it grows, and reset with the publisher's code if the publisher
 * abandons it.
 *
 * <p>It subscribes to the track only to be woken as frames arrive; it reads nothing but its group.
 * Writes only while the stream is writable, so a slow fetcher holds the cache's reference, not a queue.
 *
 * <p>Threading: every method runs on {@code executor}, the connection's event loop. Buffers: the group
 * is retained from {@link #start} until the response ends; frames go out as retained slices.
 */
public final class FetchServe extends TrackSubscriber {
    private final SendStream stream;
    private final Track track;
    private final long sequence;
    private final GroupFraming framing;
    private final EgressStats stats;
    private Group group;
    private GroupFraming.FrameHeaders headers;
    private int next;
    private boolean done;
    private StreamRanking ranking;
    private int priority = dev.jmoq.core.model.Delivery.DEFAULT.priority();
    private StreamRanking.Member rank;

    /**
     * @param stream   where the frames go: the send half of the peer's FETCH stream
     * @param sequence the group asked for
     */
    public FetchServe(Executor executor, SendStream stream, Track track, long sequence, GroupFraming framing,
            EgressStats stats) {
        super(executor);
        this.stream = stream;
        this.track = track;
        this.sequence = sequence;
        this.framing = framing;
        this.stats = stats;
    }

    /**
     * Ranks the answer's stream among the session's streams ({@link StreamRanking}) with the FETCH's
     * subscriber priority (0..255, lower is more urgent), as a subscription with one group. Before
     * {@link #start()}; without it the stream keeps the transport's default urgency.
     */
    public void priority(StreamRanking ranking, int priority) {
        this.ranking = ranking;
        this.priority = priority;
    }

    /**
     * Takes the group from the cache and starts sending it. Returns false, touching nothing but the
     * not-found count, when the cache does not hold it: the caller refuses the request.
     */
    public boolean start() {
        Group g = track.bySequence(sequence);
        if (g == null || g.isEvicted() || !g.tryRetain()) {
            done = true;
            stats.fetchesNotFound.increment();
            return false;
        }
        group = g;
        headers = framing.frames(g);
        stats.fetchesServed.increment();
        if (ranking != null) {
            rank = ranking.join(priority, dev.jmoq.core.model.GroupOrder.DESCENDING,
                    () -> stream.setPriority(rank.urgency(0)));
            rank.publisherPriority(g.publisherPriority());
            stream.setPriority(rank.urgency(0));
        }
        stream.onWritable(this::wake);
        stream.onClosed(this::cancel);
        track.subscribe(this);
        return true;
    }

    /** Stops: resets the stream with {@code code} (unless it already ended) and lets go of the group. Idempotent. */
    public void cancel(long code) {
        if (done) {
            return;
        }
        end();
        stream.reset(code);
    }

    public boolean isDone() {
        return done;
    }

    @Override
    protected void drain() {
        if (done) {
            return;
        }
        Group g = group;
        if (stream.isClosed()) {
            end();
            return;
        }
        boolean ended = !g.isOpen();
        int count = g.frameCount();
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        while (next < count && stream.isWritable()) {
            long budget = Math.max(stream.bytesBeforeUnwritable(), EgressGroup.BATCH_BYTES);
            CompositeByteBuf out = alloc.compositeDirectBuffer(EgressGroup.MAX_COMPONENTS);
            next = EgressGroup.compose(out, g, next, count, budget, headers, stats, alloc);
            if (next == count && ended && !g.isAborted()) {
                stream.writeAndFinish(out); // the FIN rides on the last frame
                end();
                return;
            }
            stream.write(out);
            stream.flush();
        }
        if (next == count && ended) {
            if (g.isAborted()) {
                stream.reset(g.abortCode());
            } else {
                stream.finish(); // an empty group, or one that ended after its last frame went out
            }
            end();
        }
    }

    private void end() {
        done = true;
        if (rank != null) {
            rank.leave();
        }
        track.unsubscribe(this);
        if (group != null) {
            group.release();
            group = null;
        }
    }
}
