package dev.jmoq.transport.websocket;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.wire.ProtocolException;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The streams of one qmux connection: QUIC stream ids (RFC 9000 section 2.1: the low bit is the initiator,
 * the next the direction), the live streams by id, the stream-count limits both ways (the peer's MAX_STREAMS
 * that our openers wait for; ours, which the peer must respect and which we raise as its streams end) and
 * which peer stream ids were already used, so a late frame never reopens a finished stream. Live streams are
 * counted in {@link TransportStats#streamsOpen} from the moment they enter the table until they leave it.
 *
 * <p>Concurrency: confined to the connection's event loop.
 */
final class StreamTable {
    /** Most peer stream indexes one frame may skip over (each skipped one is remembered as not yet seen). */
    static final long MAX_STREAM_GAP = 1 << 16;

    private final QmuxConnection conn;
    private final boolean server;
    private final boolean qmux;
    private final TransportParameters local;
    private TransportParameters peer = TransportParameters.DEFAULTS;
    private TransportStats stats;

    private final LongObjectHashMap<QmuxStream> streams = new LongObjectHashMap<>();
    // Opening: the peer's limits on our streams.
    private long peerMaxStreamsBidi;
    private long peerMaxStreamsUni;
    private long nextLocalBidi;
    private long nextLocalUni;
    private final ArrayDeque<Promise<BidiStream>> bidiOpeners = new ArrayDeque<>();
    private final ArrayDeque<Promise<SendStream>> uniOpeners = new ArrayDeque<>();
    // Accepting: our limits on the peer's streams.
    private long localMaxStreamsBidi;
    private long localMaxStreamsUni;
    private long closedPeerBidi;
    private long closedPeerUni;
    private final PeerStreams peerBidi = new PeerStreams();
    private final PeerStreams peerUni = new PeerStreams();

    StreamTable(QmuxConnection conn, boolean server, WireVersion wire, TransportParameters local) {
        this.conn = conn;
        this.server = server;
        this.qmux = wire.isQmux();
        this.local = local;
        if (qmux) {
            localMaxStreamsBidi = local.initialMaxStreamsBidi();
            localMaxStreamsUni = local.initialMaxStreamsUni();
        } else {
            // The legacy framing has no stream limits either way.
            peerMaxStreamsBidi = Long.MAX_VALUE;
            peerMaxStreamsUni = Long.MAX_VALUE;
            localMaxStreamsBidi = Long.MAX_VALUE;
            localMaxStreamsUni = Long.MAX_VALUE;
        }
    }

    /** Counts the streams that enter the table from now on in {@code stats} (null: none). */
    void countIn(TransportStats stats) {
        this.stats = stats;
    }

    private void add(QmuxStream s) {
        streams.put(s.id(), s);
        if (stats != null) {
            s.counted = stats;
            stats.streamOpened(TransportKind.WEBSOCKET, direction(s), !s.isBidi());
        }
    }

    private static void uncount(QmuxStream s) {
        if (s.counted != null) {
            s.counted.streamClosed(TransportKind.WEBSOCKET, direction(s), !s.isBidi());
            s.counted = null;
        }
    }

    private static TransportStats.StreamDirection direction(QmuxStream s) {
        return s.isLocal() ? TransportStats.StreamDirection.OUT : TransportStats.StreamDirection.IN;
    }

    // ---- ids ----

    boolean isLocal(long id) {
        return ((id & 1) != 0) == server;
    }

    static boolean isUni(long id) {
        return (id & 2) != 0;
    }

    private long streamId(long index, boolean uni) {
        return (index << 2) | (uni ? 2 : 0) | (server ? 1 : 0);
    }

    QmuxStream get(long id) {
        return streams.get(id);
    }

    // ---- limits and windows ----

    /** The peer's transport parameters arrived: raise its limits on us and the send windows of open streams. */
    void onPeerParameters(TransportParameters params) {
        peer = params;
        peerMaxStreamsBidi = Math.max(peerMaxStreamsBidi, params.initialMaxStreamsBidi());
        peerMaxStreamsUni = Math.max(peerMaxStreamsUni, params.initialMaxStreamsUni());
        streams.forEach((id, s) -> {
            s.onMaxStreamData(initialSendWindow(id));
            return;
        });
    }

    /** MAX_STREAMS from the peer. */
    void onMaxStreams(boolean bidi, long max) {
        if (bidi && max > peerMaxStreamsBidi) {
            peerMaxStreamsBidi = max;
        } else if (!bidi && max > peerMaxStreamsUni) {
            peerMaxStreamsUni = max;
        }
        serveOpeners();
    }

    /** The peer's initial limit for our sending on stream {@code id}. */
    long initialSendWindow(long id) {
        if (!qmux) {
            return Long.MAX_VALUE;
        }
        if (isUni(id)) {
            return peer.initialMaxStreamDataUni();
        }
        return isLocal(id) ? peer.initialMaxStreamDataBidiRemote() : peer.initialMaxStreamDataBidiLocal();
    }

    /** Our initial limit for the peer's sending on stream {@code id}. */
    long initialRecvWindow(long id) {
        if (!qmux) {
            return Long.MAX_VALUE;
        }
        if (isUni(id)) {
            return local.initialMaxStreamDataUni();
        }
        return isLocal(id) ? local.initialMaxStreamDataBidiLocal() : local.initialMaxStreamDataBidiRemote();
    }

    // ---- peer streams ----

    /**
     * The stream a frame about our sending ({@code sendSide}) or the peer's sending refers to; opens a
     * peer-initiated stream it names for the first time (as QUIC does); null when it is already gone.
     */
    QmuxStream streamForControl(long id, boolean sendSide) throws ProtocolException {
        boolean localId = isLocal(id);
        if (isUni(id) && localId != sendSide) {
            throw new ProtocolException(TransportError.STREAM_STATE_ERROR,
                    "frame for the wrong direction of uni stream " + id, true);
        }
        QmuxStream s = streams.get(id);
        if (s != null) {
            return s;
        }
        if (localId) {
            long index = id >>> 2;
            if (index >= (isUni(id) ? nextLocalUni : nextLocalBidi)) {
                throw new ProtocolException(TransportError.STREAM_STATE_ERROR, "stream " + id + " was never opened", true);
            }
            return null;
        }
        return openPeerStream(id);
    }

    /**
     * Opens a peer stream named for the first time, or returns null for one already closed. A stream beyond
     * our limit is a STREAM_LIMIT_ERROR: the peer ignored the limit we advertised.
     */
    QmuxStream openPeerStream(long id) throws ProtocolException {
        boolean uni = isUni(id);
        long index = id >>> 2;
        PeerStreams seen = uni ? peerUni : peerBidi;
        if (seen.isClosed(index)) {
            return null;
        }
        long limit = uni ? localMaxStreamsUni : localMaxStreamsBidi;
        if (index >= limit) {
            throw new ProtocolException(TransportError.STREAM_LIMIT_ERROR,
                    "peer opened stream " + id + " beyond its limit of " + limit, true);
        }
        if (seen.gap(index) > MAX_STREAM_GAP) {
            // Opening index N implicitly opens every lower one; bound what that costs us.
            throw new ProtocolException(TransportError.STREAM_LIMIT_ERROR, "peer skipped to stream " + id, true);
        }
        seen.record(index);
        QmuxStream s = new QmuxStream(conn, id, !uni, true);
        add(s);
        s.initWindows(initialSendWindow(id), initialRecvWindow(id));
        return s;
    }

    /**
     * A stream's both halves are done: forget it and, for a peer stream, return its count credit. Returns
     * the MAX_STREAMS frame to send, or null.
     */
    Frame.MaxStreams onStreamDone(QmuxStream s) {
        if (streams.remove(s.id()) == null) {
            return null;
        }
        uncount(s);
        if (s.isLocal() || !qmux) {
            return null;
        }
        if (s.isBidi()) {
            closedPeerBidi++;
            long next = ConnectionFlow.replenish(closedPeerBidi, localMaxStreamsBidi, local.initialMaxStreamsBidi());
            if (next > 0) {
                localMaxStreamsBidi = next;
                return new Frame.MaxStreams(true, next);
            }
        } else {
            closedPeerUni++;
            long next = ConnectionFlow.replenish(closedPeerUni, localMaxStreamsUni, local.initialMaxStreamsUni());
            if (next > 0) {
                localMaxStreamsUni = next;
                return new Frame.MaxStreams(false, next);
            }
        }
        return null;
    }

    // ---- our streams ----

    /**
     * Queues an opener until the peer's bidi limit allows a stream. An opener cancelled while it waits
     * leaves the queue at once and never takes a stream id (the request it stood for is withdrawn).
     */
    void addOpener(Promise<BidiStream> bidi) {
        if (bidi.isDone()) {
            return;
        }
        bidiOpeners.add(bidi);
        bidi.addListener(f -> {
            if (f.isCancelled()) {
                bidiOpeners.remove(bidi);
            }
        });
        serveOpeners();
    }

    /** As {@link #addOpener}, for unidirectional streams. */
    void addUniOpener(Promise<SendStream> uni) {
        if (uni.isDone()) {
            return;
        }
        uniOpeners.add(uni);
        uni.addListener(f -> {
            if (f.isCancelled()) {
                uniOpeners.remove(uni);
            }
        });
        serveOpeners();
    }

    /** Opens streams for waiting openers while the peer's limits allow; cancelled ones are skipped. */
    void serveOpeners() {
        while (!conn.isClosed() && !bidiOpeners.isEmpty() && nextLocalBidi < peerMaxStreamsBidi) {
            Promise<BidiStream> p = bidiOpeners.poll();
            if (p.setUncancellable() && !p.isDone()) {
                p.trySuccess(newLocal(false));
            }
        }
        while (!conn.isClosed() && !uniOpeners.isEmpty() && nextLocalUni < peerMaxStreamsUni) {
            Promise<SendStream> p = uniOpeners.poll();
            if (p.setUncancellable() && !p.isDone()) {
                p.trySuccess(newLocal(true));
            }
        }
        if (conn.isClosed()) {
            failOpeners("connection closed");
        }
    }

    private QmuxStream newLocal(boolean uni) {
        long id = streamId(uni ? nextLocalUni++ : nextLocalBidi++, uni);
        QmuxStream s = new QmuxStream(conn, id, !uni, false);
        add(s);
        s.initWindows(initialSendWindow(id), initialRecvWindow(id));
        return s;
    }

    /** Fails every waiting opener. */
    void failOpeners(String reason) {
        IllegalStateException e = new IllegalStateException("connection closed: " + reason);
        for (Promise<BidiStream> p : bidiOpeners) {
            p.tryFailure(e);
        }
        for (Promise<SendStream> p : uniOpeners) {
            p.tryFailure(e);
        }
        bidiOpeners.clear();
        uniOpeners.clear();
    }

    /** Removes and returns every live stream (the connection closed). */
    List<QmuxStream> removeAll() {
        List<QmuxStream> all = new ArrayList<>(streams.values());
        streams.clear();
        all.forEach(StreamTable::uncount);
        return all;
    }

    /**
     * Which peer-initiated stream indexes of one direction were seen: everything up to the highest index
     * is open or closed, except the holes not yet seen; a late frame for a closed one must not reopen it.
     */
    private static final class PeerStreams {
        private long highest = -1;
        private final Set<Long> holes = new HashSet<>();

        /** Called only for an index with no live stream. */
        boolean isClosed(long index) {
            return index <= highest && !holes.contains(index);
        }

        long gap(long index) {
            return index - highest;
        }

        void record(long index) {
            if (index <= highest) {
                holes.remove(index);
            } else {
                // Bounded by the stream limit checked before this call.
                for (long h = highest + 1; h < index; h++) {
                    holes.add(h);
                }
                highest = index;
            }
        }
    }
}
