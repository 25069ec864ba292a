package dev.jmoq.transport;

/**
 * Takes each connection a server transport has established (TLS done, protocol chosen, and for
 * WebTransport and WebSocket the request accepted). Runs on the connection's event loop; must call
 * {@link MoqConnection#setHandler} before returning.
 */
@FunctionalInterface
public interface ConnectionAcceptor {
    void onConnection(MoqConnection connection);
}
