package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.Frame;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamDecoder;
import dev.jmoq.wire.lite.LiteDataType;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reads one incoming unidirectional group stream into the model: the data type, the GROUP header (which
 * names the subscription and the group sequence), then frames appended to the group as retained slices
 * of the received buffers (no copy).
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
final class GroupIngest implements StreamReader {
    private static final System.Logger LOG = System.getLogger("jmoq.ingest");

    /** Finds the track a subscription fills. */
    @FunctionalInterface
    interface Router {
        Track route(long subscription, long sequence);
    }

    private final RecvStream stream;
    private final GroupStreamDecoder decoder;
    private final Router router;
    private final SessionStats stats;
    private final java.util.concurrent.Executor loop;
    private final Runnable wakeTask = this::wakeSubscribers;
    private boolean typed;
    private Group group;
    private boolean done;
    private boolean wakePending;
    private ByteBuf pending;

    GroupIngest(RecvStream stream, java.util.concurrent.Executor loop, LiteVersion version, int maxFrameSize,
            Router router, SessionStats stats) {
        this.stream = stream;
        this.loop = loop;
        this.decoder = GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, version, maxFrameSize);
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
            if (!typed) {
                ByteBuf in = pending == null ? data : io.netty.buffer.Unpooled.wrappedBuffer(pending, data);
                pending = null;
                if (!VarInt.isReadable(in)) {
                    pending = in;
                    return;
                }
                long type = VarInt.read(in);
                if (type != LiteDataType.GROUP.code()) {
                    in.release();
                    stop(LiteErrorCode.UNEXPECTED_STREAM, "unexpected uni stream type " + type);
                    return;
                }
                typed = true;
                data = in;
            }
            decoder.feed(data);
            if (group == null) {
                GroupHeader header = decoder.readHeader();
                if (header == null) {
                    return;
                }
                Track track = router.route(header.subscribe(), header.sequence());
                if (track == null) {
                    stop(LiteErrorCode.NOT_FOUND, null);
                    return;
                }
                Group g = track.createGroup(header.sequence(), false);
                if (g == null) {
                    stats.groupsRefused.increment();
                    stop(track.lastRefusal() == Track.Refusal.DUPLICATE ? LiteErrorCode.DUPLICATE
                            : track.lastRefusal() == Track.Refusal.TOO_OLD ? LiteErrorCode.OLD : LiteErrorCode.CLOSED, null);
                    return;
                }
                group = g;
                stats.groupsIn.increment();
            }
            Frame frame;
            while ((frame = decoder.readFrame()) != null) {
                stats.framesIn.increment();
                stats.bytesIn.add(frame.payload().readableBytes());
                if (frame.timestamp() == Frame.NO_TIMESTAMP) {
                    group.append(frame.payload(), false);
                } else {
                    group.append(Group.NEXT_OBJECT, frame.timestamp(), null, dev.jmoq.core.model.ObjectStatus.NORMAL,
                            frame.payload(), false);
                }
            }
            if (!wakePending) {
                wakePending = true;
                loop.execute(wakeTask);
            }
        } catch (ProtocolException e) {
            stats.streamErrors.increment();
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
                group.finish();
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
            group.abort(code < 0 ? LiteErrorCode.CLOSED : code);
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
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
