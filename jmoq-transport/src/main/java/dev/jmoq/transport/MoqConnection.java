package dev.jmoq.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.SocketAddress;

/**
 * One established MoQ connection over any transport: raw QUIC, WebTransport or WebSocket.
 *
 * <p>Lives on one event loop. {@link #setHandler} must be called (on that loop, before it yields) when
 * the connection is handed over; streams the peer opens before that are queued and delivered to it.
 */
public interface MoqConnection {
    /** Which transport carries this connection. */
    TransportKind kind();

    /**
     * The negotiated MoQ protocol: the ALPN on raw QUIC ({@code moq-lite-04}), the protocol chosen from
     * {@code WT-Available-Protocols} on WebTransport, or the ALPN suffix of the WebSocket subprotocol
     * ({@code qmux-00.moq-lite-04} gives {@code moq-lite-04}). Empty when none was chosen (the session
     * then negotiates with SETUP).
     */
    String protocol();

    /** The request path with query string ({@code /room?jwt=...}); {@code "/"} when the transport has none. */
    String path();

    /** The value of the {@code Origin} header for browser transports, or null. */
    String origin();

    SocketAddress remoteAddress();

    EventLoop eventLoop();

    /** Sets the receiver of streams the peer opens and of the close event. */
    void setHandler(ConnectionHandler handler);

    /**
     * Opens a bidirectional stream. The future completes on {@link #eventLoop()}; it may wait for stream
     * credit from the peer (MAX_STREAMS). Cancelling it withdraws a request still waiting: no stream is
     * opened for it, and a stream the transport could not withhold any more is reset unused.
     */
    Future<BidiStream> openBidi();

    /** Opens a unidirectional (send-only) stream; waits and may be cancelled as {@link #openBidi()}. */
    Future<SendStream> openUni();

    /**
     * The largest datagram payload, in bytes, {@link #sendDatagram} accepts now; 0 when this connection has
     * no datagrams (the peer did not negotiate them, or the transport has none: WebSocket). Raw QUIC: the
     * peer's {@code max_datagram_frame_size} (RFC 9221 section 3) less the frame header, capped so the
     * packet fits QUIC's minimum 1200-byte UDP payload; WebTransport: that less the quarter stream id
     * prefix (RFC 9297 section 2.1).
     */
    default int maxDatagramSize() {
        return 0;
    }

    /**
     * Sends {@code payload} as one unreliable datagram (RFC 9221; on WebTransport an HTTP/3 datagram of this
     * session, RFC 9297). Takes ownership of {@code payload} in every case. Returns false, sending nothing,
     * when datagrams are not supported, the payload is larger than {@link #maxDatagramSize()}, or the
     * connection is closed; a datagram that was queued may still be lost. Call on {@link #eventLoop()}.
     */
    default boolean sendDatagram(ByteBuf payload) {
        payload.release();
        return false;
    }

    /** Closes the connection with an application error code and reason. Idempotent; any thread. */
    void close(long code, String reason);

    boolean isOpen();

    /** Completes when the connection is closed, by either side. */
    Future<?> closeFuture();
}
