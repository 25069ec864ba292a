package dev.jmoq.transport;

import io.netty.buffer.ByteBuf;

/**
 * The sending half of a stream. Not thread-safe: call only on the connection's event loop.
 *
 * <p>Back-pressure: {@link #isWritable()} is true while the transport has room (QUIC stream and
 * connection credit, or the WebSocket's qmux credit and socket buffer). Writes beyond that are queued
 * by the transport, unbounded: callers that must bound memory check writability and wait for the
 * {@link #onWritable} callback.
 */
public interface SendStream {
    /** Queues {@code data} and takes ownership of it; it is released once sent or on failure. */
    void write(ByteBuf data);

    /** Sends what was queued. */
    void flush();

    /** Queues {@code data}, takes ownership, and ends the stream (FIN) after it. */
    void writeAndFinish(ByteBuf data);

    /** Ends the stream cleanly once everything queued has been sent. Idempotent. */
    void finish();

    /** Abandons the stream with an application error code (QUIC RESET_STREAM). Idempotent. */
    void reset(long code);

    boolean isWritable();

    /** Bytes that can still be written before the stream turns unwritable; 0 when it is not writable. */
    long bytesBeforeUnwritable();

    /**
     * Sets the callback run (on the event loop) each time the stream turns writable again. One callback
     * per stream; a later call replaces the earlier one.
     */
    void onWritable(Runnable callback);

    /**
     * Sets the send priority: lower urgency is sent first (0 to 7, like RFC 9218). A stream never given one
     * is sent at urgency 0, ahead of ranked data: control streams, requests and their answers.
     */
    void setPriority(int urgency);

    /** Runs {@code callback} (on the event loop) once the peer stops the stream (STOP_SENDING) or it is closed. */
    void onClosed(java.util.function.LongConsumer callback);

    /** True once the stream was finished, reset, or closed by the peer. */
    boolean isClosed();

    long id();
}
