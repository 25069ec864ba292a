package dev.jmoq.transport.websocket;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One MoQ connection over one WebSocket: demultiplexes the qmux (or legacy {@code webtransport}) frames of
 * each binary message into streams, enforces and replenishes flow control both ways, and schedules stream
 * data by urgency, round-robin within an urgency.
 *
 * <p>Concurrency: lives on the channel's event loop; every method but {@link #close}, {@link #openBidi} and
 * {@link #openUni} (which hop onto the loop) must be called there. It is the last handler of the pipeline,
 * after a {@code WebSocketFrameAggregator}, so it sees whole messages.
 *
 * <p>Buffers: each inbound message is released here; STREAM payloads reach readers as retained slices of it.
 * Outbound stream data is sent as retained slices of what the application wrote (see {@link QmuxStream}).
 */
final class QmuxConnection extends ChannelInboundHandlerAdapter implements MoqConnection {
    private static final System.Logger LOG = System.getLogger(QmuxConnection.class.getName());

    /** Released polyfills reject STREAM payloads above this (16384 - 32), whatever the negotiated limits. */
    static final int COMPAT_MAX_PAYLOAD = 16352;
    /** qmux-00's max_frame_size and the legacy framing's message bound: one frame per message. */
    static final int MAX_FRAME_SIZE = 16384;
    /** Most peer stream indexes one frame may skip over (each skipped one is remembered as not yet seen). */
    static final long MAX_STREAM_GAP = 1 << 16;

    private final Channel channel;
    private final boolean server;
    private final WireVersion wire;
    private boolean legacyClose;
    private final String protocol;
    private final String path;
    private final String origin;
    private final QmuxSettings settings;
    private final TransportParameters local;
    private TransportParameters peer = TransportParameters.DEFAULTS;
    private boolean paramsReceived;
    private boolean firstFrameSeen;

    // Sending: the peer's limits.
    long sendMaxData;
    long sentData;
    private long peerMaxStreamsBidi;
    private long peerMaxStreamsUni;
    private long nextLocalBidi;
    private long nextLocalUni;
    private final ArrayDeque<Promise<BidiStream>> bidiOpeners = new ArrayDeque<>();
    private final ArrayDeque<Promise<SendStream>> uniOpeners = new ArrayDeque<>();

    // Receiving: our limits.
    private long recvMaxData;
    private long recvData;
    private long recvConsumed;
    private long localMaxStreamsBidi;
    private long localMaxStreamsUni;
    private long closedPeerBidi;
    private long closedPeerUni;
    private final PeerStreams peerBidi = new PeerStreams();
    private final PeerStreams peerUni = new PeerStreams();
    private long legacyBuffered;

    private final LongObjectHashMap<QmuxStream> streams = new LongObjectHashMap<>();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<QmuxStream>[] ready = new ArrayDeque[8];
    private final Set<QmuxStream> writeWaiters = new LinkedHashSet<>();
    private boolean pumping;

    private ConnectionHandler handler;
    private final List<QmuxStream> early = new ArrayList<>();
    private final Promise<Void> closeFuture;
    private boolean closed;
    private long closedCode;
    private String closedReason;

    private ScheduledFuture<?> idleTimer;
    private long lastRecvNanos = System.nanoTime();
    private long lastSendNanos = System.nanoTime();
    private long nextPing;

    QmuxConnection(Channel channel, boolean server, Subprotocol subprotocol, boolean legacyClose, String path,
            String origin, QmuxSettings settings) {
        this.channel = channel;
        this.server = server;
        this.wire = subprotocol.wire();
        this.legacyClose = legacyClose;
        this.protocol = subprotocol.alpn();
        this.path = path;
        this.origin = origin;
        this.settings = settings;
        this.local = wire.usesRecords() ? settings.toParameters() : settings.withIdleTimeoutMillis(0).toParameters();
        this.closeFuture = channel.eventLoop().newPromise();
        for (int i = 0; i < ready.length; i++) {
            ready[i] = new ArrayDeque<>();
        }
        if (wire.isQmux()) {
            recvMaxData = local.initialMaxData();
            localMaxStreamsBidi = local.initialMaxStreamsBidi();
            localMaxStreamsUni = local.initialMaxStreamsUni();
        } else {
            // The legacy framing has no flow control: nothing limits either side.
            sendMaxData = Long.MAX_VALUE;
            recvMaxData = Long.MAX_VALUE;
            peerMaxStreamsBidi = Long.MAX_VALUE;
            peerMaxStreamsUni = Long.MAX_VALUE;
            localMaxStreamsBidi = Long.MAX_VALUE;
            localMaxStreamsUni = Long.MAX_VALUE;
        }
    }

    /** Sends our transport parameters and starts the idle timer; call on the loop once the handshake is done. */
    void start() {
        if (wire.isQmux()) {
            sendControl(new Frame.Parameters(local));
        }
        LOG.log(System.Logger.Level.DEBUG, "event=ws_connection_open remote={0} role={1} wire={2} protocol={3}",
                channel.remoteAddress(), server ? "server" : "client", wire.token(), protocol);
    }

    // ---- MoqConnection ----

    @Override
    public TransportKind kind() {
        return TransportKind.WEBSOCKET;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String origin() {
        return origin;
    }

    /** The framing in use. */
    WireVersion wire() {
        return wire;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public void setHandler(ConnectionHandler handler) {
        this.handler = handler;
        if (!early.isEmpty()) {
            List<QmuxStream> pending = new ArrayList<>(early);
            early.clear();
            for (QmuxStream s : pending) {
                announce(s);
            }
        }
        if (closed) {
            handler.onClosed(closedCode, closedReason);
        }
    }

    @Override
    public Future<BidiStream> openBidi() {
        Promise<BidiStream> promise = eventLoop().newPromise();
        onLoop(() -> {
            bidiOpeners.add(promise);
            serveOpeners();
        });
        return promise;
    }

    @Override
    public Future<SendStream> openUni() {
        Promise<SendStream> promise = eventLoop().newPromise();
        onLoop(() -> {
            uniOpeners.add(promise);
            serveOpeners();
        });
        return promise;
    }

    @Override
    public void close(long code, String reason) {
        onLoop(() -> {
            if (closed) {
                return;
            }
            sendControl(new Frame.ConnectionClose(true, code, reason));
            closeSocket(WebSocketCloseStatus.NORMAL_CLOSURE);
            terminate(code, reason);
        });
    }

    @Override
    public boolean isOpen() {
        return !closed && channel.isActive();
    }

    @Override
    public Future<?> closeFuture() {
        return closeFuture;
    }

    private void onLoop(Runnable task) {
        if (eventLoop().inEventLoop()) {
            task.run();
        } else {
            eventLoop().execute(task);
        }
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof WebSocketFrame frame) || closed) {
                return;
            }
            switch (frame) {
                case BinaryWebSocketFrame b -> onMessage(b.content());
                case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
                case PongWebSocketFrame p -> {
                }
                case CloseWebSocketFrame c -> {
                    // The socket closes without a CONNECTION_CLOSE: an abnormal end for the session.
                    String why = "websocket closed: " + c.statusCode() + " " + c.reasonText();
                    closeSocket(WebSocketCloseStatus.NORMAL_CLOSURE);
                    terminate(-1, why);
                }
                default -> protocolError(TransportError.PROTOCOL_VIOLATION, "text messages are not valid");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        terminate(-1, "connection lost");
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        pump();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "event=ws_connection_error remote={0} error={1}", channel.remoteAddress(),
                String.valueOf(cause.getMessage()));
        channel.close();
        terminate(-1, "transport error: " + cause.getMessage());
    }

    private void onMessage(ByteBuf message) {
        lastRecvNanos = System.nanoTime();
        if (!message.isReadable()) {
            protocolError(TransportError.FRAME_ENCODING_ERROR, "empty message");
            return;
        }
        int size = message.readableBytes();
        if ((wire == WireVersion.QMUX_00 && size > MAX_FRAME_SIZE)
                || (wire.usesRecords() && size > local.maxRecordSize())) {
            protocolError(TransportError.FRAME_ENCODING_ERROR, "message of " + size + " bytes exceeds our limit");
            return;
        }
        try {
            do {
                Frame frame = FrameCodec.decode(message, wire, legacyClose);
                onFrame(frame);
            } while (wire.isQmux() && message.isReadable() && !closed);
        } catch (ProtocolException e) {
            protocolError(e.code(), e.getMessage());
        }
    }

    private void onFrame(Frame frame) throws ProtocolException {
        if (wire == WireVersion.QMUX_02 && !(frame instanceof Frame.Padding)) {
            // draft-02: QX_TRANSPORT_PARAMETERS is the first frame, and only the first.
            boolean isParams = frame instanceof Frame.Parameters;
            if (isParams == firstFrameSeen) {
                release(frame);
                throw violation("QX_TRANSPORT_PARAMETERS must be the first frame and appear once");
            }
            firstFrameSeen = true;
        }
        switch (frame) {
            case Frame.Stream s -> onStreamFrame(s);
            case Frame.ResetStream r -> onResetStream(r);
            case Frame.StopSending s -> onStopSending(s);
            case Frame.ConnectionClose c -> onConnectionClose(c);
            case Frame.MaxData m -> {
                if (m.max() > sendMaxData) {
                    sendMaxData = m.max();
                    pump();
                }
            }
            case Frame.MaxStreamData m -> {
                QmuxStream s = streamForControl(m.id(), true);
                if (s != null) {
                    s.onMaxStreamData(m.max());
                }
            }
            case Frame.MaxStreams m -> {
                if (m.bidi() && m.max() > peerMaxStreamsBidi) {
                    peerMaxStreamsBidi = m.max();
                } else if (!m.bidi() && m.max() > peerMaxStreamsUni) {
                    peerMaxStreamsUni = m.max();
                }
                serveOpeners();
            }
            case Frame.Parameters p -> onParameters(p.params());
            case Frame.Ping p -> {
                if (p.request()) {
                    sendControl(new Frame.Ping(false, p.sequence()));
                }
            }
            case Frame.Blocked b -> {
            }
            case Frame.Padding p -> {
            }
        }
    }

    private static void release(Frame frame) {
        if (frame instanceof Frame.Stream s) {
            s.data().release();
        }
    }

    private static ProtocolException violation(String message) {
        return new ProtocolException(TransportError.PROTOCOL_VIOLATION, message, true);
    }

    private void onParameters(TransportParameters params) throws ProtocolException {
        if (paramsReceived) {
            throw violation("second QX_TRANSPORT_PARAMETERS");
        }
        paramsReceived = true;
        peer = params;
        if (params.maxIdleTimeoutMillis() != 0) {
            // Only the newer polyfill sends max_idle_timeout (it does on every draft): it reads RFC 0x1d.
            legacyClose = false;
        }
        sendMaxData = Math.max(sendMaxData, params.initialMaxData());
        peerMaxStreamsBidi = Math.max(peerMaxStreamsBidi, params.initialMaxStreamsBidi());
        peerMaxStreamsUni = Math.max(peerMaxStreamsUni, params.initialMaxStreamsUni());
        streams.forEach((id, s) -> {
            s.onMaxStreamData(initialSendWindow(id));
            return;
        });
        startIdleTimer();
        serveOpeners();
        pump();
    }

    // ---- stream ids ----

    private boolean isLocal(long id) {
        return ((id & 1) != 0) == server;
    }

    private static boolean isUni(long id) {
        return (id & 2) != 0;
    }

    private long streamId(long index, boolean uni) {
        return (index << 2) | (uni ? 2 : 0) | (server ? 1 : 0);
    }

    /** The peer's initial limit for our sending on stream {@code id}. */
    long initialSendWindow(long id) {
        if (!wire.isQmux()) {
            return Long.MAX_VALUE;
        }
        if (isUni(id)) {
            return peer.initialMaxStreamDataUni();
        }
        return isLocal(id) ? peer.initialMaxStreamDataBidiRemote() : peer.initialMaxStreamDataBidiLocal();
    }

    /** Our initial limit for the peer's sending on stream {@code id}. */
    long initialRecvWindow(long id) {
        if (!wire.isQmux()) {
            return Long.MAX_VALUE;
        }
        if (isUni(id)) {
            return local.initialMaxStreamDataUni();
        }
        return isLocal(id) ? local.initialMaxStreamDataBidiLocal() : local.initialMaxStreamDataBidiRemote();
    }

    /**
     * The stream a frame about our sending ({@code sendSide}) or the peer's sending refers to; opens a
     * peer-initiated stream it names for the first time (as QUIC does); null when it is already gone.
     */
    private QmuxStream streamForControl(long id, boolean sendSide) throws ProtocolException {
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

    /** Opens a peer stream named for the first time, or returns null for one already closed. */
    private QmuxStream openPeerStream(long id) throws ProtocolException {
        boolean uni = isUni(id);
        long index = id >>> 2;
        PeerStreams seen = uni ? peerUni : peerBidi;
        if (seen.isClosed(index)) {
            return null;
        }
        if (index >= (uni ? localMaxStreamsUni : localMaxStreamsBidi)) {
            throw new ProtocolException(TransportError.STREAM_LIMIT_ERROR,
                    "peer opened stream " + id + " beyond its limit of " + (uni ? localMaxStreamsUni : localMaxStreamsBidi), true);
        }
        if (seen.gap(index) > MAX_STREAM_GAP) {
            // Opening index N implicitly opens every lower one; bound what that costs us.
            throw new ProtocolException(TransportError.STREAM_LIMIT_ERROR, "peer skipped to stream " + id, true);
        }
        seen.record(index);
        QmuxStream s = new QmuxStream(this, id, !uni, true);
        streams.put(id, s);
        s.initWindows(initialSendWindow(id), initialRecvWindow(id));
        return s;
    }

    private void onStreamFrame(Frame.Stream f) throws ProtocolException {
        ByteBuf data = f.data();
        QmuxStream s;
        boolean fresh;
        try {
            if (isUni(f.id()) && isLocal(f.id())) {
                throw new ProtocolException(TransportError.STREAM_STATE_ERROR, "STREAM on our send-only stream " + f.id(), true);
            }
            s = streams.get(f.id());
            fresh = s == null && !isLocal(f.id());
            if (s == null) {
                s = isLocal(f.id()) ? streamForControl(f.id(), false) : openPeerStream(f.id());
            }
            if (s == null) {
                // A late frame for a stream that is gone: it still used connection credit.
                onReceived(data.readableBytes());
                onConsumed(data.readableBytes());
                data.release();
                return;
            }
        } catch (ProtocolException | RuntimeException e) {
            data.release();
            throw e;
        }
        s.onStreamFrame(f.offset(), data, f.fin());
        if (fresh) {
            announce(s);
        }
    }

    private void onResetStream(Frame.ResetStream r) throws ProtocolException {
        boolean fresh = !isLocal(r.id()) && streams.get(r.id()) == null;
        QmuxStream s = streamForControl(r.id(), false);
        if (s == null) {
            return;
        }
        s.onReset(r.code(), r.finalSize());
        if (fresh) {
            announce(s);
        }
    }

    private void onStopSending(Frame.StopSending f) throws ProtocolException {
        boolean fresh = !isLocal(f.id()) && streams.get(f.id()) == null;
        QmuxStream s = streamForControl(f.id(), true);
        if (s == null) {
            return;
        }
        s.onStopSending(f.code());
        if (fresh) {
            announce(s);
        }
    }

    private void onConnectionClose(Frame.ConnectionClose c) {
        closeSocket(WebSocketCloseStatus.NORMAL_CLOSURE);
        if (c.application()) {
            terminate(c.code(), c.reason());
        } else {
            terminate(-1, "peer closed with transport error 0x" + Long.toHexString(c.code()) + ": " + c.reason());
        }
    }

    private void announce(QmuxStream s) {
        if (closed) {
            return;
        }
        if (handler == null) {
            early.add(s);
            return;
        }
        if (s.isBidi()) {
            handler.onBidiStream(s);
        } else {
            handler.onUniStream(s);
        }
    }

    // ---- flow control accounting (called by streams) ----

    /** Counts {@code n} received bytes against the connection window. */
    void onReceived(long n) throws ProtocolException {
        if (n == 0) {
            return;
        }
        if (recvData + n > recvMaxData) {
            throw new ProtocolException(TransportError.FLOW_CONTROL_ERROR,
                    "peer sent " + (recvData + n) + " bytes, beyond MAX_DATA " + recvMaxData, true);
        }
        recvData += n;
        if (!wire.isQmux()) {
            legacyBuffered += n;
            if (legacyBuffered > settings.legacyReceiveBuffer()) {
                channel.config().setAutoRead(false); // no credit to withhold: stop reading the socket instead
            }
        }
    }

    /** Counts {@code n} bytes delivered or discarded, and replenishes the connection window. */
    void onConsumed(long n) {
        if (n == 0) {
            return;
        }
        recvConsumed += n;
        if (!wire.isQmux()) {
            legacyBuffered -= n;
            if (legacyBuffered <= settings.legacyReceiveBuffer() / 2 && !channel.config().isAutoRead() && !closed) {
                channel.config().setAutoRead(true);
            }
            return;
        }
        long next = replenish(recvConsumed, recvMaxData, local.initialMaxData());
        if (next > 0) {
            recvMaxData = next;
            sendControl(new Frame.MaxData(next));
        }
    }

    /**
     * The new limit to advertise once the unused part of a window falls to half of it, or 0 for none: the
     * window slides with consumption, so a slow reader keeps the peer at most one window ahead.
     */
    static long replenish(long consumed, long currentMax, long window) {
        if (window <= 0) {
            return 0;
        }
        return currentMax - consumed <= window / 2 ? consumed + window : 0;
    }

    /** A stream's both halves are done: forget it and, for a peer stream, return its count credit. */
    void onStreamDone(QmuxStream s) {
        if (streams.remove(s.id()) == null) {
            return;
        }
        writeWaiters.remove(s);
        if (!s.isLocal() && wire.isQmux()) {
            if (s.isBidi()) {
                closedPeerBidi++;
                long next = replenish(closedPeerBidi, localMaxStreamsBidi, local.initialMaxStreamsBidi());
                if (next > 0) {
                    localMaxStreamsBidi = next;
                    sendControl(new Frame.MaxStreams(true, next));
                }
            } else {
                closedPeerUni++;
                long next = replenish(closedPeerUni, localMaxStreamsUni, local.initialMaxStreamsUni());
                if (next > 0) {
                    localMaxStreamsUni = next;
                    sendControl(new Frame.MaxStreams(false, next));
                }
            }
        }
    }

    // ---- opening ----

    private void serveOpeners() {
        while (!closed && !bidiOpeners.isEmpty() && nextLocalBidi < peerMaxStreamsBidi) {
            Promise<BidiStream> p = bidiOpeners.poll();
            if (!p.setUncancellable()) {
                continue; // withdrawn while it waited for stream credit: costs the peer no stream
            }
            QmuxStream s = newLocal(false);
            if (!p.trySuccess(s)) {
                s.reset(0);
            }
        }
        while (!closed && !uniOpeners.isEmpty() && nextLocalUni < peerMaxStreamsUni) {
            Promise<SendStream> p = uniOpeners.poll();
            if (!p.setUncancellable()) {
                continue; // withdrawn while it waited for stream credit: costs the peer no stream
            }
            QmuxStream s = newLocal(true);
            if (!p.trySuccess(s)) {
                s.reset(0);
            }
        }
        if (closed) {
            failOpeners();
        }
    }

    private QmuxStream newLocal(boolean uni) {
        long id = streamId(uni ? nextLocalUni++ : nextLocalBidi++, uni);
        QmuxStream s = new QmuxStream(this, id, !uni, false);
        streams.put(id, s);
        s.initWindows(initialSendWindow(id), initialRecvWindow(id));
        return s;
    }

    private void failOpeners() {
        IllegalStateException e = new IllegalStateException("connection closed: " + closedReason);
        for (Promise<BidiStream> p : bidiOpeners) {
            p.tryFailure(e);
        }
        for (Promise<SendStream> p : uniOpeners) {
            p.tryFailure(e);
        }
        bidiOpeners.clear();
        uniOpeners.clear();
    }

    // ---- sending ----

    /** Largest STREAM payload for one frame of {@code id} at {@code offset}. */
    int maxPayload(long id, long offset) {
        long budget = wire.usesRecords() ? Math.min(peer.maxRecordSize(), Integer.MAX_VALUE) : MAX_FRAME_SIZE;
        int header = wire.isQmux() ? 1 + VarInt.size(id) + VarInt.size(offset) + 2 : 1 + VarInt.size(id);
        return (int) Math.min(COMPAT_MAX_PAYLOAD, budget - header);
    }

    long connectionCredit() {
        return sendMaxData - sentData;
    }

    boolean socketWritable() {
        return channel.isWritable();
    }

    QmuxSettings settings() {
        return settings;
    }

    boolean isClosed() {
        return closed;
    }

    /** Queues {@code s} for sending at its urgency. */
    void markReady(QmuxStream s) {
        if (!s.inReadyQueue && !closed) {
            s.inReadyQueue = true;
            ready[s.urgency()].addLast(s);
        }
    }

    /** Moves a queued stream whose urgency changed from {@code previous} to its new urgency's queue. */
    void requeue(QmuxStream s, int previous) {
        if (ready[previous].remove(s)) {
            ready[s.urgency()].addLast(s);
        }
    }

    void waitWritable(QmuxStream s) {
        writeWaiters.add(s);
    }

    /** Writes one STREAM frame: our header plus the payload slice, which this takes ownership of. */
    void writeStreamFrame(long id, long offset, ByteBuf data, boolean fin) {
        int n = data.readableBytes();
        ByteBuf header = FrameCodec.streamHeader(channel.alloc(), wire, id, offset, n, fin);
        CompositeByteBuf message = channel.alloc().compositeBuffer(2);
        message.addComponents(true, header, data);
        sentData += n;
        lastSendNanos = System.nanoTime();
        channel.write(new BinaryWebSocketFrame(message));
    }

    /** Sends a control frame at once, ahead of queued stream data. */
    void sendControl(Frame frame) {
        if (!channel.isActive()) {
            return;
        }
        lastSendNanos = System.nanoTime();
        channel.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(channel.alloc(), frame, wire, legacyClose)));
    }

    /** Sends queued stream data while the socket and the connection credit allow, then wakes writers. */
    void pump() {
        if (pumping || closed) {
            return;
        }
        pumping = true;
        boolean wrote = false;
        try {
            while (channel.isWritable()) {
                QmuxStream s = nextReady();
                if (s == null) {
                    break;
                }
                QmuxStream.SendResult r = s.sendOne();
                if (r == QmuxStream.SendResult.CONNECTION_BLOCKED) {
                    ready[s.urgency()].addFirst(s);
                    break;
                }
                wrote = true;
                if (r == QmuxStream.SendResult.MORE) {
                    ready[s.urgency()].addLast(s);
                } else {
                    s.inReadyQueue = false;
                }
            }
        } finally {
            pumping = false;
        }
        if (wrote) {
            channel.flush();
        }
        notifyWritable();
    }

    private QmuxStream nextReady() {
        for (ArrayDeque<QmuxStream> q : ready) {
            QmuxStream s = q.poll();
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private void notifyWritable() {
        if (writeWaiters.isEmpty() || closed) {
            return;
        }
        List<QmuxStream> now = new ArrayList<>();
        for (QmuxStream s : writeWaiters) {
            if (s.isWritable()) {
                now.add(s);
            }
        }
        for (QmuxStream s : now) {
            writeWaiters.remove(s);
            s.fireWritable();
        }
    }

    // ---- closing ----

    /** Closes the connection for a protocol violation we detected: CONNECTION_CLOSE (0x1c), then the socket. */
    void protocolError(long code, String message) {
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "event=ws_protocol_error remote={0} code=0x{1} reason=\"{2}\"",
                channel.remoteAddress(), Long.toHexString(code), message);
        sendControl(new Frame.ConnectionClose(false, code, message));
        closeSocket(WebSocketCloseStatus.PROTOCOL_ERROR);
        terminate(-1, "protocol error 0x" + Long.toHexString(code) + ": " + message);
    }

    private void closeSocket(WebSocketCloseStatus status) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Ends the session locally: fails streams and openers, tells the handler once. */
    private void terminate(long code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        closedCode = code;
        closedReason = reason;
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        for (ArrayDeque<QmuxStream> q : ready) {
            q.clear();
        }
        writeWaiters.clear();
        List<QmuxStream> all = new ArrayList<>(streams.values());
        streams.clear();
        for (QmuxStream s : all) {
            s.onConnectionClosed();
        }
        early.clear();
        failOpeners();
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true); // let the close be read
        }
        LOG.log(System.Logger.Level.DEBUG, "event=ws_connection_closed remote={0} code={1} reason=\"{2}\"",
                channel.remoteAddress(), code, reason);
        if (handler != null) {
            handler.onClosed(code, reason);
        }
        closeFuture.trySuccess(null);
    }

    // ---- idle timeout (qmux-01 and later) ----

    private void startIdleTimer() {
        if (!wire.usesRecords()) {
            return;
        }
        long a = local.maxIdleTimeoutMillis();
        long b = peer.maxIdleTimeoutMillis();
        long timeout = a == 0 ? b : b == 0 ? a : Math.min(a, b);
        if (timeout == 0 || closed) {
            return;
        }
        long tick = Math.max(50, timeout / 6);
        idleTimer = eventLoop().scheduleAtFixedRate(() -> idleTick(timeout), tick, tick, TimeUnit.MILLISECONDS);
    }

    private void idleTick(long timeoutMillis) {
        long now = System.nanoTime();
        if (TimeUnit.NANOSECONDS.toMillis(now - lastRecvNanos) > timeoutMillis) {
            closeSocket(WebSocketCloseStatus.NORMAL_CLOSURE);
            terminate(-1, "idle timeout");
            return;
        }
        if (TimeUnit.NANOSECONDS.toMillis(now - lastSendNanos) > timeoutMillis / 3) {
            sendControl(new Frame.Ping(true, nextPing++)); // keep-alive the peer answers
        }
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
