package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.Datagram;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;

/**
 * Receives moq-lite-05 datagrams (draft-lcurley-moq-lite-05, "Datagrams") for the subscriptions this
 * session made upstream: each carries a whole group of one frame ({@code subscribe | sequence | timestamp
 * | payload}), which becomes a finished one-frame group of the subscription's track, marked as a datagram
 * group ({@link Group#markDatagram}) so subscribers whose protocol and transport carry datagrams get it as
 * one again. The frame's absolute timestamp is kept ({@link Group#timestamp}), as a group stream's are.
 *
 * <p>Deduplication with the group streams of the same subscription is by group sequence, through the
 * track: whichever of the datagram and the stream arrives first creates the group; the datagram that
 * comes second is dropped here, the stream that comes second is stopped as a duplicate by
 * {@link dev.jmoq.core.session.GroupIngest}. A datagram for a group older than the track's window is
 * dropped the same way.
 *
 * <p>What the draft makes a receiver drop silently is dropped and counted, never closing anything
 * ({@link SessionStats#datagramsDropped}): an unknown (or ended) subscribe id, a duplicate; one the decoder
 * refuses (truncated varints, a body over 1200 bytes) is also counted in
 * {@link SessionStats#datagramsMalformed} and the first per session logged at INFO. Datagrams on a session
 * of a draft before 05 are dropped unread, as {@code @moq/net} and moq-dev do.
 *
 * <p>Threading: the session's event loop. Buffers: the datagram is released here; the group owns the
 * payload it appends (a retained slice of the datagram).
 */
final class LiteDatagrams {
    private static final System.Logger LOG = System.getLogger("jmoq.lite.datagram");

    private final LiteSession session;
    private final LiteSubscriber subscriber;
    private boolean loggedMalformed;

    LiteDatagrams(LiteSession session, LiteSubscriber subscriber) {
        this.session = session;
        this.subscriber = subscriber;
    }

    /** One datagram from the peer; takes ownership. */
    void onDatagram(ByteBuf datagram) {
        SessionStats stats = session.stats();
        LiteVersion v = session.version();
        Datagram d;
        try {
            if (v == null || !v.hasDatagrams() || session.isClosed()) {
                stats.datagramsDropped.increment();
                return;
            }
            d = Datagram.decode(datagram, v);
        } catch (ProtocolException e) {
            stats.datagramsMalformed.increment();
            stats.datagramsDropped.increment();
            System.Logger.Level level = loggedMalformed ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            loggedMalformed = true;
            LOG.log(level, () -> "event=datagram_malformed reason=\"" + e.getMessage() + "\" remote="
                    + session.connection().remoteAddress());
            return;
        } finally {
            datagram.release();
        }
        Track track = subscriber.route(d.subscribe(), d.sequence());
        Group g = track == null ? null : track.createDatagramGroup(d.sequence());
        if (g == null) {
            if (track != null) {
                stats.groupsRefused.increment(); // a duplicate of a stream's group, or too old
            }
            d.release();
            stats.datagramsDropped.increment();
            return;
        }
        stats.groupsIn.increment();
        stats.datagramsIn.increment();
        stats.framesIn.increment();
        stats.bytesIn.add(d.payload().readableBytes());
        g.append(Group.NEXT_OBJECT, d.timestamp(), null, ObjectStatus.NORMAL, d.payload(), false);
        g.finish(); // wakes the track's subscribers once, with the frame and the end together
    }
}
