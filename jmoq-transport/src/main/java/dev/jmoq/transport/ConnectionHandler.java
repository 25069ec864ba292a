package dev.jmoq.transport;

import io.netty.buffer.ByteBuf;

/** Receives what the peer does on a {@link MoqConnection}. Every method runs on the connection's event loop. */
public interface ConnectionHandler {
    /** The peer opened a bidirectional stream. */
    void onBidiStream(BidiStream stream);

    /** The peer opened a unidirectional stream. */
    void onUniStream(RecvStream stream);

    /**
     * The peer sent a datagram ({@link MoqConnection#sendDatagram}): its payload, without any transport
     * prefix. The handler owns {@code datagram} and releases it. Datagrams that arrive before a handler is
     * set are dropped (they are unreliable anyway). The default drops it.
     */
    default void onDatagram(ByteBuf datagram) {
        datagram.release();
    }

    /** The connection closed; {@code code} is the application code, or -1 for a transport failure. */
    void onClosed(long code, String reason);
}
