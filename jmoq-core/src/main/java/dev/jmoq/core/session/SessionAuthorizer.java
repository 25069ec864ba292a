package dev.jmoq.core.session;

import dev.jmoq.transport.MoqConnection;

/**
 * Decides what a new session may do, from its connection (URL path and query, which carry the broadcast
 * root and the token; the Origin header of browser sessions). Called on the connection's event loop; must
 * not block. Thread-safe.
 */
@FunctionalInterface
public interface SessionAuthorizer {
    /** The grant for {@code connection}; throws to refuse the session. */
    Grant authorize(MoqConnection connection) throws Refused;

    /** A refused session; closed with the protocol's unauthorized code. */
    final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Allows everything under the connection's path (no authentication). */
    SessionAuthorizer ALLOW_ALL = connection -> {
        String path = connection.path();
        int q = path.indexOf('?');
        return Grant.all(q >= 0 ? path.substring(0, q) : path);
    };
}
