package dev.jmoq.transport;

/** The receiving half of a stream. Not thread-safe: call only on the connection's event loop. */
public interface RecvStream {
    /**
     * Sets the reader. Data that arrived before is delivered to it at once, in order, then the FIN or reset
     * if one came. Must be called before the handler that was given the stream returns. The reader may stop
     * the stream or set another reader from inside a delivery: the rest then goes to the reader current at
     * that moment, in order.
     */
    void setReader(StreamReader reader);

    /**
     * Asks the peer to stop sending (QUIC STOP_SENDING) with an application error code; data still queued is
     * released and no more data reaches the reader. Over QUIC the reader is told nothing more; over qmux it
     * still hears how the stream ended (the peer's FIN, or the RESET_STREAM answering the stop). Idempotent.
     */
    void stopSending(long code);

    /** Pauses or resumes reading (transport flow control applies back-pressure to the peer while paused). */
    void setAutoRead(boolean autoRead);

    long id();
}
