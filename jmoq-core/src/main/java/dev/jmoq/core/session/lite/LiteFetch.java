package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.PathNormalizer;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import dev.jmoq.core.session.GroupFraming;
import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.lite.Fetch;
import dev.jmoq.wire.lite.LiteErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Serves one moq-lite-05 FETCH from the group cache (draft-lcurley-moq-lite-05, "FETCH"; docs/wire-moq-lite.md,
 * "moq-lite-05 session behaviour" 6): the cached group's frames as bare timestamped frame records on the
 * FETCH stream (no GROUP header; same timestamps as a group stream), then FIN; a group still being
 * written is followed until it ends. A group the cache does not hold (never seen, evicted, or a track that
 * is not open here) is refused with NOT_FOUND; an aborted group resets the stream with its code. The
 * response is ranked by the FETCH priority (higher priority, lower urgency).
 *
 * <p>It is a subscriber of the track only to be woken when the group grows. Threading: the session's
 * event loop. Buffers: holds one reference to the group from start to end; frames go out as retained
 * slices.
 */
final class LiteFetch extends TrackSubscriber {
    private final BidiStream stream;
    private final Group group;
    private final GroupFraming.FrameHeaders headers;
    private int next;
    private boolean done;

    private LiteFetch(java.util.concurrent.Executor loop, BidiStream stream, Group group,
            GroupFraming.FrameHeaders headers) {
        super(loop);
        this.stream = stream;
        this.group = group;
        this.headers = headers;
    }

    /**
     * Serves {@code fetch} on {@code stream}, or refuses it. The session's stats count refusals as
     * subscriptions not found.
     */
    static void serve(LiteSession session, Origin serve, LiteSubscriber subscriber, BidiStream stream, Fetch fetch,
            MessageStream reader) {
        reader.parser(rest -> rest.skipBytes(rest.readableBytes()));
        String path = Paths.join(session.root(), PathNormalizer.normalize(fetch.broadcast()));
        if (!session.grant().maySubscribe(path)) {
            session.stats().unauthorized.increment();
            refuse(reader, stream, LiteErrorCode.UNAUTHORIZED);
            return;
        }
        Broadcast b = serve.get(path);
        Track track = b == null || subscriber.isFromPeer(b) ? null : b.track(fetch.track());
        Group g = track == null ? null : track.bySequence(fetch.group());
        if (g == null || g.isEvicted() || !g.tryRetain()) {
            session.stats().subscribesNotFound.increment();
            LiteSession.LOG.log(System.Logger.Level.DEBUG, () -> "event=fetch_not_found broadcast=" + path
                    + " track=" + fetch.track() + " group=" + fetch.group());
            refuse(reader, stream, LiteErrorCode.NOT_FOUND);
            return;
        }
        stream.setPriority(7 - (fetch.priority() >> 5));
        LiteFetch f = new LiteFetch(session.loop(), stream, g, session.framing().stamped(g));
        reader.events(new MessageStream.Events() {
            @Override
            public void onEnd() {
                // The request side finished: the answer goes on.
            }

            @Override
            public void onReset(long code) {
                f.cancel(LiteErrorCode.CANCEL);
            }

            @Override
            public void onError(dev.jmoq.wire.ProtocolException e) {
                f.cancel(e.code());
            }
        });
        stream.onClosed(code -> f.cancel(LiteErrorCode.CANCEL));
        stream.onWritable(f::wake);
        track.subscribe(f);
        f.wake();
    }

    @Override
    protected void drain() {
        if (done) {
            return;
        }
        if (stream.isClosed()) {
            cancel(LiteErrorCode.CANCEL);
            return;
        }
        boolean ended = !group.isOpen();
        int count = group.frameCount();
        if (next < count && stream.isWritable()) {
            ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
            CompositeByteBuf out = alloc.compositeDirectBuffer(Math.min(64, 2 * (count - next)));
            while (next < count && out.numComponents() + 2 <= out.maxNumComponents()) {
                int index = next++;
                ByteBuf frame = group.frame(index);
                out.addComponent(true, headers.frameHeader(alloc, index, frame.readableBytes()));
                out.addComponent(true, frame.retainedSlice());
            }
            if (next == count && ended && !group.isAborted()) {
                stream.writeAndFinish(out);
                end();
                return;
            }
            stream.write(out);
            stream.flush();
        }
        if (next == count && ended) {
            if (group.isAborted()) {
                stream.reset(group.abortCode());
            } else {
                stream.finish();
            }
            end();
        } else if (next < count && stream.isWritable()) {
            wake(); // more than one write's worth: continue on the next pass
        }
    }

    /** Stops serving: resets the stream with {@code code}. Idempotent. */
    void cancel(long code) {
        if (!done) {
            stream.reset(code);
            end();
        }
    }

    private void end() {
        done = true;
        Track t = track();
        if (t != null) {
            t.unsubscribe(this);
        }
        group.release();
    }

    private static void refuse(MessageStream reader, BidiStream stream, long code) {
        reader.finish();
        stream.stopSending(code);
        stream.reset(code);
    }
}
