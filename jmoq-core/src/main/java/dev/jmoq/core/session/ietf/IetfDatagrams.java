package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectDatagram;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Receives OBJECT_DATAGRAMs (draft-ietf-moq-transport-14..20, "Object Datagram") for the subscriptions this
 * session made upstream: the Track Alias names the track (as on subgroup streams), the object is appended
 * to its group with its id, extension headers and status kept, and the group is marked as a datagram group
 * ({@link Group#markDatagram}) so IETF subscribers get its objects as datagrams too.
 *
 * <p>When a datagram group ends, since datagrams have no FIN: (1) a datagram with END_OF_GROUP, or a status
 * datagram with End of Group / End of Track, ends it; (2) the first datagram of a newer group of the same
 * track ends the older one (an object of it that arrives later is dropped: it cannot be reordered into a
 * group subscribers may have finished); (3) a group that receives nothing for {@link #IDLE_MILLIS} ends.
 *
 * <p>An unknown datagram type closes the session with PROTOCOL_VIOLATION (drafts 14-20, "Datagrams": "MUST
 * close the session"). Otherwise malformed datagrams (truncated fields), datagrams for an unknown alias, for a group the track refuses (duplicate or too
 * old) and objects that do not follow the group's last id are dropped and counted
 * ({@link SessionStats#datagramsDropped}, malformed ones also in {@link SessionStats#datagramsMalformed}),
 * never closing the session: a datagram is unreliable, and the drafts do not make a bad one fatal.
 *
 * <p>Threading: the session's event loop. Buffers: the datagram is released here; the group owns what it
 * appends (retained slices of the datagram).
 */
final class IetfDatagrams {
    private static final System.Logger LOG = System.getLogger("jmoq.ietf.datagram");
    /** How long a datagram group may receive nothing before it is ended. */
    static final long IDLE_MILLIS = 2_000;
    /** Datagrams held at once for aliases a pending SUBSCRIBE_OK may name. */
    static final int MAX_HELD = 64;

    private final IetfSession session;
    private final IetfSubscriber subscriber;
    private final LongSupplier nanoClock;
    /** The newest open datagram group of each track, with the time of its last object. */
    private final Map<Track, Open> open = new HashMap<>();
    private ScheduledFuture<?> sweep;
    private boolean loggedMalformed;
    /** Datagrams that came before the SUBSCRIBE_OK naming their alias, by alias, in arrival order. */
    private final Map<Long, java.util.ArrayDeque<ObjectDatagram>> held = new HashMap<>();
    private int heldCount;

    private static final class Open {
        final Group group;
        long lastNanos;

        Open(Group group, long lastNanos) {
            this.group = group;
            this.lastNanos = lastNanos;
        }
    }

    IetfDatagrams(IetfSession session, IetfSubscriber subscriber, LongSupplier nanoClock) {
        this.session = session;
        this.subscriber = subscriber;
        this.nanoClock = nanoClock;
    }

    /** One datagram from the peer; takes ownership. */
    void onDatagram(ByteBuf datagram) {
        IetfVersion v = session.version();
        ObjectDatagram d;
        try {
            if (ObjectDatagram.isPadding(datagram, v)) {
                return;
            }
            if (v.varint().isReadable(datagram)) {
                long type = v.varint().get(datagram, datagram.readerIndex());
                if (!ObjectDatagram.isDatagramType(type, v)) {
                    // Drafts 14-20 ("Datagrams"): an unknown datagram type MUST close the session.
                    session.stats().datagramsMalformed.increment();
                    session.stats().datagramsDropped.increment();
                    session.violation("datagram", "unknown datagram type 0x" + Long.toHexString(type));
                    return;
                }
            }
            d = ObjectDatagram.decode(datagram, v);
        } catch (ProtocolException e) {
            session.stats().datagramsMalformed.increment();
            session.stats().datagramsDropped.increment();
            System.Logger.Level level = loggedMalformed ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            loggedMalformed = true;
            LOG.log(level, () -> "event=datagram_malformed reason=\"" + e.getMessage() + "\" remote="
                    + session.remoteAddress());
            return;
        } finally {
            datagram.release();
        }
        route(d);
    }

    /**
     * Routes a decoded datagram by its alias. An alias not known yet while a SUBSCRIBE of ours awaits its
     * answer is held, as subgroup streams are (the drafts let data overtake SUBSCRIBE_OK): at most
     * {@link #MAX_HELD} datagrams, replayed once the answer names the alias or none can.
     */
    private void route(ObjectDatagram d) {
        Track track = subscriber.datagramTrack(d.trackAlias());
        if (track == null) {
            if (heldCount < MAX_HELD && subscriber.shouldWait(d.trackAlias())) {
                java.util.ArrayDeque<ObjectDatagram> q = held.get(d.trackAlias());
                if (q == null) {
                    q = new java.util.ArrayDeque<>();
                    held.put(d.trackAlias(), q);
                    long alias = d.trackAlias();
                    subscriber.park(alias, () -> replay(alias));
                }
                q.add(d);
                heldCount++;
            } else {
                drop(d);
            }
            return;
        }
        Group g = groupFor(track, d.groupId(), d.publisherPriority());
        if (g == null) {
            drop(d);
            return;
        }
        append(track, g, d);
    }

    /**
     * The open datagram group {@code sequence} of {@code track}, created on its first object with that
     * object's publisher priority (-1: none said, the model's default); null to drop.
     */
    private Group groupFor(Track track, long sequence, int publisherPriority) {
        Open o = open.get(track);
        if (o != null && o.group.sequence() == sequence) {
            return o.group.isOpen() ? o.group : null;
        }
        if (o != null && o.group.sequence() > sequence) {
            return null; // an older group, already ended by the newer one
        }
        Group g = track.createDatagramGroup(sequence, publisherPriority);
        if (g == null) {
            session.stats().groupsRefused.increment();
            return null;
        }
        session.stats().groupsIn.increment();
        if (o != null) {
            o.group.finish(); // a newer group started
        }
        open.put(track, new Open(g, nanoClock.getAsLong()));
        armSweep();
        return g;
    }

    private void append(Track track, Group g, ObjectDatagram d) {
        int n = g.frameCount();
        if (n > 0 && d.objectId() <= g.objectId(n - 1)) {
            drop(d); // a duplicate, or reordered behind a later object
            return;
        }
        Open o = open.get(track);
        o.lastNanos = nanoClock.getAsLong();
        SessionStats stats = session.stats();
        if (d.payload() == null) {
            long status = d.status();
            if (status == ObjectStatus.END_OF_GROUP || status == ObjectStatus.END_OF_TRACK) {
                d.release();
                end(track, g, (int) status);
                return;
            }
            if (status < 0 || status > 0xFF) {
                drop(d);
                return;
            }
            g.append(d.objectId(), Group.NO_TIMESTAMP, d.properties(), (int) status,
                    io.netty.buffer.Unpooled.EMPTY_BUFFER, true);
        } else {
            stats.bytesIn.add(d.payload().readableBytes());
            g.append(d.objectId(), Group.NO_TIMESTAMP, d.properties(), ObjectStatus.NORMAL, d.payload(), true);
        }
        stats.datagramsIn.increment();
        stats.framesIn.increment();
        if (d.endOfGroup()) {
            end(track, g, ObjectStatus.END_OF_GROUP);
        }
    }

    /** The held datagrams of {@code alias} go on: routed if the alias is known now, else dropped. */
    private void replay(long alias) {
        java.util.ArrayDeque<ObjectDatagram> q = held.remove(alias);
        if (q == null) {
            return;
        }
        heldCount -= q.size();
        for (ObjectDatagram d; (d = q.poll()) != null; ) {
            if (session.isClosed() || subscriber.datagramTrack(alias) == null) {
                drop(d);
            } else {
                route(d);
            }
        }
    }

    private void end(Track track, Group g, int status) {
        g.finish(status);
        open.remove(track);
    }

    private void drop(ObjectDatagram d) {
        d.release();
        session.stats().datagramsDropped.increment();
    }

    /** Ends the groups idle for {@link #IDLE_MILLIS} at {@code nowNanos}; re-arms while any stays open. */
    void sweep(long nowNanos) {
        sweep = null;
        long idle = TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
        for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
            Open o = it.next();
            if (!o.group.isOpen()) {
                it.remove();
            } else if (nowNanos - o.lastNanos >= idle) {
                o.group.finish();
                it.remove();
            }
        }
        armSweep();
    }

    private void armSweep() {
        if (sweep == null && !open.isEmpty() && !session.isClosed()) {
            sweep = session.loop().schedule(() -> sweep(nanoClock.getAsLong()), IDLE_MILLIS / 2, TimeUnit.MILLISECONDS);
        }
    }

    /** The session closed: its open datagram groups end as they stand. */
    void closeAll() {
        if (sweep != null) {
            sweep.cancel(false);
            sweep = null;
        }
        for (Open o : open.values()) {
            o.group.finish();
        }
        open.clear();
        for (java.util.ArrayDeque<ObjectDatagram> q : held.values()) {
            q.forEach(ObjectDatagram::release);
        }
        held.clear();
        heldCount = 0;
    }

    /** Open datagram groups (tests). */
    int openGroups() {
        return open.size();
    }
}
