package dev.jmoq.transport.websocket;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.HandshakeDeadline;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
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
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One MoQ connection over one WebSocket: reads the qmux (or legacy {@code webtransport}) frames of each
 * binary message and dispatches them, writes frames, and closes. The jobs behind it are its parts:
 * {@link StreamTable} (ids, live streams, stream limits both ways), {@link ConnectionFlow} (connection flow
 * control both ways), {@link SendScheduler} (which stream sends next) and {@link Liveness} (idle timeout and
 * keep-alive, for every framing). A server connection on a qmux draft must receive the peer's transport
 * parameters within the handshake timeout.
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

    private final StreamTable table;
    private final ConnectionFlow flow;
    private final SendScheduler scheduler;
    private final Liveness liveness;
    private HandshakeDeadline preamble;
    private TransportStats stats;
    private long nextPing;

    private ConnectionHandler handler;
    private final List<QmuxStream> early = new ArrayList<>();
    private final Promise<Void> closeFuture;
    private boolean closed;
    private long closedCode;
    private String closedReason;

    /**
     * @param liveness the connection's idle and keep-alive handler, already first in the pipeline
     */
    QmuxConnection(Channel channel, boolean server, Subprotocol subprotocol, boolean legacyClose, String path,
            String origin, QmuxSettings settings, Liveness liveness) {
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
        this.table = new StreamTable(this, server, wire, local);
        this.flow = new ConnectionFlow(wire, local, settings, channel);
        this.scheduler = new SendScheduler(channel, this);
        this.liveness = liveness;
    }

    /**
     * Sends our transport parameters and starts the idle and keep-alive rules; on a server speaking a qmux
     * draft, bounds the wait for the peer's parameters by {@code preambleTimeoutMillis} (0: none), counted
     * in {@code stats}. Call on the loop once the WebSocket handshake is done.
     */
    void start(long preambleTimeoutMillis, TransportStats stats) {
        this.stats = stats;
        if (wire.isQmux()) {
            sendControl(new Frame.Parameters(local));
            if (server && !paramsReceived) {
                preamble = HandshakeDeadline.arm(eventLoop(), preambleTimeoutMillis,
                        TransportStats.HandshakeStage.QMUX_PREAMBLE, stats, channel.remoteAddress(),
                        () -> protocolError(TransportError.NO_ERROR, "no transport parameters in time"));
            }
        }
        liveness.start(new Liveness.Peer() {
            @Override
            public void probe() {
                if (wire.usesRecords()) {
                    sendControl(new Frame.Ping(true, nextPing++)); // the framing's own keep-alive
                } else if (channel.isActive()) {
                    channel.writeAndFlush(new PingWebSocketFrame()); // the framing has none: WebSocket's
                }
            }

            @Override
            public void expire(long silentMillis) {
                closeSocket(WebSocketCloseStatus.NORMAL_CLOSURE);
                terminate(-1, "idle timeout: nothing received for " + silentMillis + " ms");
            }
        });
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

    /** The effective idle timeout, milliseconds (0: none). */
    long idleTimeoutMillis() {
        return liveness.timeoutMillis();
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
        onLoop(() -> table.addOpener(promise));
        return promise;
    }

    @Override
    public Future<SendStream> openUni() {
        Promise<SendStream> promise = eventLoop().newPromise();
        onLoop(() -> table.addUniOpener(promise));
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
                    // An answer to our probe: Liveness already counted the bytes.
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
        scheduler.pump();
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
                if (flow.raiseSendMax(m.max())) {
                    scheduler.pump();
                }
            }
            case Frame.MaxStreamData m -> {
                QmuxStream s = table.streamForControl(m.id(), true);
                if (s != null) {
                    s.onMaxStreamData(m.max());
                }
            }
            case Frame.MaxStreams m -> table.onMaxStreams(m.bidi(), m.max());
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
        if (preamble != null) {
            preamble.disarm();
        }
        peer = params;
        if (params.maxIdleTimeoutMillis() != 0) {
            // Only the newer polyfill sends max_idle_timeout (it does on every draft): it reads RFC 0x1d.
            legacyClose = false;
        }
        flow.raiseSendMax(params.initialMaxData());
        table.onPeerParameters(params);
        if (wire.usesRecords()) {
            liveness.narrow(params.maxIdleTimeoutMillis());
        }
        table.serveOpeners();
        scheduler.pump();
    }

    private void onStreamFrame(Frame.Stream f) throws ProtocolException {
        ByteBuf data = f.data();
        QmuxStream s;
        boolean fresh;
        try {
            if (StreamTable.isUni(f.id()) && table.isLocal(f.id())) {
                throw new ProtocolException(TransportError.STREAM_STATE_ERROR, "STREAM on our send-only stream " + f.id(), true);
            }
            s = table.get(f.id());
            fresh = s == null && !table.isLocal(f.id());
            if (s == null) {
                s = table.isLocal(f.id()) ? table.streamForControl(f.id(), false) : table.openPeerStream(f.id());
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
        boolean fresh = !table.isLocal(r.id()) && table.get(r.id()) == null;
        QmuxStream s = table.streamForControl(r.id(), false);
        if (s == null) {
            return;
        }
        s.onReset(r.code(), r.finalSize());
        if (fresh) {
            announce(s);
        }
    }

    private void onStopSending(Frame.StopSending f) throws ProtocolException {
        boolean fresh = !table.isLocal(f.id()) && table.get(f.id()) == null;
        QmuxStream s = table.streamForControl(f.id(), true);
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

    // ---- what streams call ----

    /** Counts {@code n} received bytes against the connection window. */
    void onReceived(long n) throws ProtocolException {
        flow.onReceived(n);
    }

    /** Counts {@code n} bytes delivered or discarded, and replenishes the connection window. */
    void onConsumed(long n) {
        long next = flow.onConsumed(n, closed);
        if (next > 0) {
            sendControl(new Frame.MaxData(next));
        }
    }

    /** A stream's both halves are done: forget it and, for a peer stream, return its count credit. */
    void onStreamDone(QmuxStream s) {
        scheduler.forget(s);
        Frame.MaxStreams credit = table.onStreamDone(s);
        if (credit != null) {
            sendControl(credit);
        }
    }

    /** Largest STREAM payload for one frame of {@code id} at {@code offset}. */
    int maxPayload(long id, long offset) {
        long budget = wire.usesRecords() ? Math.min(peer.maxRecordSize(), Integer.MAX_VALUE) : MAX_FRAME_SIZE;
        int header = wire.isQmux() ? 1 + VarInt.size(id) + VarInt.size(offset) + 2 : 1 + VarInt.size(id);
        return (int) Math.min(COMPAT_MAX_PAYLOAD, budget - header);
    }

    long connectionCredit() {
        return flow.credit();
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

    void markReady(QmuxStream s) {
        scheduler.markReady(s);
    }

    void waitWritable(QmuxStream s) {
        scheduler.waitWritable(s);
    }

    void pump() {
        scheduler.pump();
    }

    // ---- outbound ----

    /** Writes one STREAM frame: our header plus the payload slice, which this takes ownership of. */
    void writeStreamFrame(long id, long offset, ByteBuf data, boolean fin) {
        int n = data.readableBytes();
        ByteBuf header = FrameCodec.streamHeader(channel.alloc(), wire, id, offset, n, fin);
        CompositeByteBuf message = channel.alloc().compositeBuffer(2);
        message.addComponents(true, header, data);
        flow.onSent(n);
        channel.write(new BinaryWebSocketFrame(message));
    }

    /** Sends a control frame at once, ahead of queued stream data. */
    void sendControl(Frame frame) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(channel.alloc(), frame, wire, legacyClose)));
    }

    // ---- closing ----

    /** Closes the connection for a protocol violation we detected: CONNECTION_CLOSE (0x1c), then the socket. */
    void protocolError(long code, String message) {
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "event=ws_protocol_error remote={0} code=0x{1} reason=\"{2}\"",
                channel.remoteAddress(), Long.toHexString(code), message);
        if (code == TransportError.STREAM_LIMIT_ERROR && stats != null) {
            stats.streamLimitViolated();
        }
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
        liveness.stop();
        if (preamble != null) {
            preamble.disarm();
        }
        scheduler.clear();
        for (QmuxStream s : table.removeAll()) {
            s.onConnectionClosed();
        }
        early.clear();
        table.failOpeners(reason);
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
}
