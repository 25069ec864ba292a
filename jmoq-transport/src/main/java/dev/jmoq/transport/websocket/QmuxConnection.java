package dev.jmoq.transport.websocket;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.HandshakeDeadline;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
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

/**
 * One MoQ connection over one WebSocket: the {@link MoqConnection} a session holds, the pipeline's last
 * handler, and the connection's lifecycle (start, hand-over of peer streams, close). The jobs behind it are
 * its parts: {@link QmuxInbound} (frame decoding and dispatch), {@link QmuxOutbound} (frame writing and
 * the keep-alive probe), {@link PeerStreamHandoff} (peer streams to the session), {@link StreamTable} (ids,
 * live streams, stream limits both ways), {@link ConnectionFlow} (connection flow control both ways),
 * {@link SendScheduler} (which stream sends next) and {@link Liveness} (idle timeout and keep-alive, for
 * every framing). A server connection on a qmux draft must receive the peer's transport
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

    private final StreamTable table;
    private final ConnectionFlow flow;
    private final SendScheduler scheduler;
    private final QmuxInbound inbound;
    private final QmuxOutbound outbound;
    private final PeerStreamHandoff handoff = new PeerStreamHandoff();
    private final QmuxDatagrams datagrams;
    private final Liveness liveness;
    private HandshakeDeadline preamble;
    private TransportStats stats;

    private final Promise<Void> closeFuture;
    private boolean closed;

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
        this.datagrams = new QmuxDatagrams(channel, wire, local, handoff);
        this.inbound = new QmuxInbound(this, wire, local, table, flow, scheduler, datagrams);
        this.outbound = new QmuxOutbound(this, channel, wire, flow);
        this.liveness = liveness;
    }

    /**
     * Sends our transport parameters and starts the idle and keep-alive rules; on a server speaking a qmux
     * draft, bounds the wait for the peer's parameters by {@code preambleTimeoutMillis} (0: none), counted
     * in {@code stats}. Call on the loop once the WebSocket handshake is done.
     */
    void start(long preambleTimeoutMillis, TransportStats stats) {
        this.stats = stats;
        table.countIn(stats);
        if (wire.isQmux()) {
            sendControl(new Frame.Parameters(local));
            if (server && !inbound.paramsReceived()) {
                preamble = HandshakeDeadline.arm(eventLoop(), preambleTimeoutMillis,
                        TransportStats.HandshakeStage.QMUX_PREAMBLE, stats, channel.remoteAddress(),
                        () -> protocolError(TransportError.NO_ERROR, "no transport parameters in time"));
            }
        }
        liveness.start(new Liveness.Peer() {
            @Override
            public void probe() {
                outbound.probe();
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
        handoff.setHandler(handler);
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

    /** qmux-01/02 DATAGRAM frames once the peer advertised {@code max_datagram_frame_size} ({@link QmuxDatagrams}). */
    @Override
    public int maxDatagramSize() {
        return datagrams.maxPayload();
    }

    @Override
    public boolean sendDatagram(ByteBuf payload) {
        return datagrams.send(payload);
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
                case BinaryWebSocketFrame b -> inbound.onMessage(b.content());
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

    /** The peer's CONNECTION_CLOSE: the session ends with its code (application) or abnormally (transport). */
    void onPeerClose(Frame.ConnectionClose c) {
        closeSocket(WebSocketCloseStatus.NORMAL_CLOSURE);
        if (c.application()) {
            terminate(c.code(), c.reason());
        } else {
            terminate(-1, "peer closed with transport error 0x" + Long.toHexString(c.code()) + ": " + c.reason());
        }
    }

    /** The peer's transport parameters arrived (once): the preamble is done; its limits and idle timeout apply. */
    void onPeerParameters(TransportParameters params) {
        if (preamble != null) {
            preamble.disarm();
        }
        outbound.onPeerParameters(params);
        datagrams.onPeerParameters(params);
        if (params.maxIdleTimeoutMillis() != 0) {
            // Only the newer polyfill sends max_idle_timeout (it does on every draft): it reads RFC 0x1d.
            legacyClose = false;
        }
        if (wire.usesRecords()) {
            liveness.narrow(params.maxIdleTimeoutMillis());
        }
    }

    /** Whether CONNECTION_CLOSE is read and written in the older polyfill's form (see {@link Subprotocol#isLegacyOffer}). */
    boolean legacyClose() {
        return legacyClose;
    }

    /** Hands a stream the peer opened to the session, or queues it until the session takes the connection. */
    void announce(QmuxStream s) {
        handoff.deliver(s);
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

    /** Where streams write their frames. */
    QmuxOutbound out() {
        return outbound;
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

    /** Which stream sends next: streams mark themselves ready or waiting on it. */
    SendScheduler scheduler() {
        return scheduler;
    }

    /** Sends a control frame at once, ahead of queued stream data. */
    void sendControl(Frame frame) {
        outbound.sendControl(frame);
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
        liveness.stop();
        if (preamble != null) {
            preamble.disarm();
        }
        scheduler.clear();
        for (QmuxStream s : table.removeAll()) {
            s.onConnectionClosed();
        }
        table.failOpeners(reason);
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true); // let the close be read
        }
        LOG.log(System.Logger.Level.DEBUG, "event=ws_connection_closed remote={0} code={1} reason=\"{2}\"",
                channel.remoteAddress(), code, reason);
        handoff.closed(code, reason);
        closeFuture.trySuccess(null);
    }
}
