package dev.jmoq.transport.websocket;

import dev.jmoq.transport.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands the streams (and datagrams) the peer opens to the session that takes the connection: streams that
 * arrive before the session set its handler are queued (datagrams are dropped) and delivered in order once it does, and the close event reaches the
 * handler exactly once, whether it was set before or after the close.
 *
 * <p>Concurrency: confined to the connection's event loop.
 */
final class PeerStreamHandoff {
    private ConnectionHandler handler;
    private final List<QmuxStream> early = new ArrayList<>();
    private boolean closed;
    private long closedCode;
    private String closedReason;

    /** The session takes the connection: queued streams are delivered, then a close that already happened. */
    void setHandler(ConnectionHandler next) {
        this.handler = next;
        if (!early.isEmpty()) {
            List<QmuxStream> pending = new ArrayList<>(early);
            early.clear();
            for (QmuxStream s : pending) {
                deliver(s);
            }
        }
        if (closed) {
            next.onClosed(closedCode, closedReason);
        }
    }

    /** A stream the peer opened: to the handler, or queued until there is one. Nothing after the close. */
    void deliver(QmuxStream s) {
        if (closed) {
            return;
        }
        if (handler == null) {
            early.add(s);
        } else if (s.isBidi()) {
            handler.onBidiStream(s);
        } else {
            handler.onUniStream(s);
        }
    }

    /** A datagram from the peer (owned): to the handler; dropped before there is one and after the close. */
    void datagram(io.netty.buffer.ByteBuf data) {
        if (handler == null || closed) {
            data.release();
        } else {
            handler.onDatagram(data);
        }
    }

    /** The connection ended: queued streams are dropped (the connection closed them) and the handler told once. */
    void closed(long code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        closedCode = code;
        closedReason = reason;
        early.clear();
        if (handler != null) {
            handler.onClosed(code, reason);
        }
    }
}
