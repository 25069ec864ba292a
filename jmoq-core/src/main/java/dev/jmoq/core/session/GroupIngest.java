package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.model.Track;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * Reads one incoming unidirectional group stream into the model, for any protocol family: the family's
 * {@link GroupDecoder} parses the stream's type and header (which name the subscription and the group
 * sequence) and its frames; this class routes the header to a track, creates the group and appends the
 * frames as retained slices of the received buffers (no copy).
 *
 * <p>A stream for an unknown subscription, a duplicate or too-old group, or a malformed stream is
 * stopped with the protocol's code; nothing else is disturbed. FIN finishes the group; a reset (or the
 * connection closing) aborts it, which ends it for every subscriber.
 *
 * <p>Wakes: frames are appended without waking the subscribers; one wake follows the read, run as a
 * task on the loop after what that read delivered, so a group whose header, frames and FIN arrive in one
 * packet wakes each subscriber once and is sent on as one write with its FIN (not a frame, then a FIN).
 *
 * <p>Threading: the connection's event loop; this is the group's single writer.
 */
public final class GroupIngest implements StreamReader {
    private static final System.Logger LOG = System.getLogger("jmoq.ingest");

    /** Finds the track a subscription fills. */
    @FunctionalInterface
    public interface Router {
        Track route(long subscription, long sequence);
    }

    private final RecvStream stream;
    private final GroupDecoder decoder;
    private final ErrorCodes codes;
    private final Router router;
    private final SessionStats stats;
    private final java.util.concurrent.Executor loop;
    private final Runnable wakeTask = this::wakeSubscribers;
    private Group group;
    private boolean done;
    private boolean wakePending;

    /**
     * Starts reading {@code stream} at once.
     *
     * @param decoder the family's decoder for this stream (owned from here on)
     * @param codes   the family's codes for the stops this class decides
     */
    public GroupIngest(RecvStream stream, java.util.concurrent.Executor loop, GroupDecoder decoder, ErrorCodes codes,
            Router router, SessionStats stats) {
        this.stream = stream;
        this.loop = loop;
        this.decoder = decoder;
        this.codes = codes;
        this.router = router;
        this.stats = stats;
        stream.setReader(this);
    }

    @Override
    public void onData(ByteBuf data) {
        if (done) {
            data.release();
            return;
        }
        try {
            decoder.feed(data);
            if (group == null) {
                IncomingGroup header = decoder.readHeader();
                if (header == null) {
                    return;
                }
                Track track = router.route(header.subscription(), header.sequence());
                if (track == null) {
                    stop(codes.code(SessionError.NOT_FOUND), null);
                    return;
                }
                Group g = track.createGroup(header.sequence(), false, header.publisherPriority());
                if (g == null) {
                    stats.groupsRefused.increment();
                    stop(codes.code(track.lastRefusal() == Track.Refusal.DUPLICATE ? SessionError.DUPLICATE
                            : track.lastRefusal() == Track.Refusal.TOO_OLD ? SessionError.TOO_OLD : SessionError.CLOSED), null);
                    return;
                }
                group = g;
                stats.groupsIn.increment();
            }
            ByteBuf frame;
            while ((frame = decoder.readFrame()) != null) {
                stats.framesIn.increment();
                stats.bytesIn.add(frame.readableBytes());
                long timestamp = decoder.timestamp();
                long objectId = decoder.objectId();
                ByteBuf extensions = decoder.extensionHeaders();
                int status = decoder.objectStatus();
                if (timestamp == Group.NO_TIMESTAMP && objectId == Group.NEXT_OBJECT && extensions == null
                        && status == ObjectStatus.NORMAL) {
                    group.append(frame, false);
                } else {
                    group.append(objectId, timestamp, extensions, status, frame, false);
                }
            }
            if (!wakePending) {
                wakePending = true;
                loop.execute(wakeTask);
            }
        } catch (ProtocolException e) {
            stats.streamErrors.increment();
            if (e.limit() == ProtocolException.Limit.FRAME_SIZE) {
                stats.limitFrameSize.increment();
            }
            stop(e.code(), e.getMessage());
        }
    }

    @Override
    public void onFinish() {
        if (done) {
            return;
        }
        try {
            decoder.finish();
            if (group != null) {
                group.finish(decoder.endStatus());
            }
            end();
        } catch (ProtocolException e) {
            stats.streamErrors.increment();
            stop(e.code(), e.getMessage());
        }
    }

    @Override
    public void onReset(long code) {
        if (done) {
            return;
        }
        if (group != null) {
            group.abort(code < 0 ? codes.code(SessionError.CLOSED) : code);
        }
        end();
    }

    private void stop(long code, String reason) {
        if (reason != null) {
            LOG.log(System.Logger.Level.INFO, "event=group_stream_rejected code=" + code + " reason=\"" + reason + "\"");
        }
        if (group != null) {
            group.abort(code);
        }
        stream.stopSending(code);
        end();
    }

    /** The deferred wake: once per read, unless the group's end already woke everyone. */
    private void wakeSubscribers() {
        if (wakePending) {
            wakePending = false;
            group.track().notifySubscribers();
        }
    }

    private void end() {
        wakePending = false; // finish and abort wake the subscribers themselves
        done = true;
        decoder.close();
    }
}
