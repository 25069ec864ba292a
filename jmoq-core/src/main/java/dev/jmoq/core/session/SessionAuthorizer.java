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

    /**
     * The grant for {@code connection} from a token the session presented in its own setup (IETF
     * moq-transport's AUTHORIZATION_TOKEN setup option, drafts 14-20), asked when {@link #authorize(MoqConnection)}
     * refused the connection only because it brought no token ({@link Refused#tokenMissing()}). The same
     * checks and grants as a token in the URL; {@code token} null when the setup carried none (refused,
     * unless the path is public). Default: tokens are not accepted there.
     */
    default Grant authorize(MoqConnection connection, String token) throws Refused {
        throw new Refused("a token in the session setup is not accepted");
    }

    /** A refused session; closed with the protocol's unauthorized code. */
    final class Refused extends Exception {
        private final boolean tokenMissing;

        public Refused(String reason) {
            this(reason, false);
        }

        /** @param tokenMissing the connection was refused only because it brought no token */
        public Refused(String reason, boolean tokenMissing) {
            super(reason, null, false, false);
            this.tokenMissing = tokenMissing;
        }

        /** True when a token presented in the session's setup may still authorize the connection. */
        public boolean tokenMissing() {
            return tokenMissing;
        }
    }

    /** Allows everything under the connection's path (no authentication). */
    SessionAuthorizer ALLOW_ALL = connection -> {
        String path = connection.path();
        int q = path.indexOf('?');
        return Grant.all(q >= 0 ? path.substring(0, q) : path);
    };
}
