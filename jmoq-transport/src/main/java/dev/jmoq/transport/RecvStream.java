package dev.jmoq.transport;

/** The receiving half of a stream. Not thread-safe: call only on the connection's event loop. */
public interface RecvStream {
    /**
     * Sets the reader. Data that arrived before is delivered to it at once, in order. Must be called
     * before the handler that was given the stream returns.
     */
    void setReader(StreamReader reader);

    /** Asks the peer to stop sending (QUIC STOP_SENDING) with an application error code. Idempotent. */
    void stopSending(long code);

    /** Pauses or resumes reading (transport flow control applies back-pressure to the peer while paused). */
    void setAutoRead(boolean autoRead);

    long id();
}
