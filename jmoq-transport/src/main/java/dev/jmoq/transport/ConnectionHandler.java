package dev.jmoq.transport;

/** Receives what the peer does on a {@link MoqConnection}. Every method runs on the connection's event loop. */
public interface ConnectionHandler {
    /** The peer opened a bidirectional stream. */
    void onBidiStream(BidiStream stream);

    /** The peer opened a unidirectional stream. */
    void onUniStream(RecvStream stream);

    /** The connection closed; {@code code} is the application code, or -1 for a transport failure. */
    void onClosed(long code, String reason);
}
