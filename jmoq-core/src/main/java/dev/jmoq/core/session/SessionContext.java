package dev.jmoq.core.session;

import dev.jmoq.core.model.Origin;
import dev.jmoq.transport.MoqConnection;

/**
 * What a session is built from, whatever its protocol family.
 *
 * @param connection  the established connection the session takes over
 * @param config      limits and policies
 * @param publish     where the peer's broadcasts go (relay: the relay's origin)
 * @param serve       what the peer may subscribe to (relay: the same origin; client: its own broadcasts)
 * @param clientSide  true when we dialed (we speak first where the protocol has a setup exchange)
 * @param stats       session counters, shared by every session of the endpoint
 * @param egressStats egress counters, shared likewise
 * @param grant       what the peer may do (from its token); null allows everything under the URL path
 *                    (on the client side: everything)
 * @param setupToken  non-null when the connection brought no token and the session must present one in
 *                    its setup ({@link ProtocolFamily#takesSetupToken()}): {@code grant} is then what it
 *                    may do until then (nothing), and this check gives the grant for the token
 */
public record SessionContext(MoqConnection connection, SessionConfig config, Origin publish, Origin serve,
        boolean clientSide, SessionStats stats, EgressStats egressStats, Grant grant, SetupToken setupToken) {

    /** Checks a token the session presented in its setup; the grant for it, or refused. */
    @FunctionalInterface
    public interface SetupToken {
        Grant authorize(String token) throws SessionAuthorizer.Refused;
    }

    /** A context whose grant is final (the connection brought its token, or none was needed). */
    public SessionContext(MoqConnection connection, SessionConfig config, Origin publish, Origin serve,
            boolean clientSide, SessionStats stats, EgressStats egressStats, Grant grant) {
        this(connection, config, publish, serve, clientSide, stats, egressStats, grant, null);
    }

    /** The grant in force: the given one, or the default for the side (see {@link SessionContext}). */
    public Grant effectiveGrant() {
        if (grant != null) {
            return grant;
        }
        if (clientSide) {
            return Grant.all(""); // a client's own broadcasts are not under the URL path it dialed
        }
        String path = connection.path();
        int q = path.indexOf('?');
        return Grant.all(q >= 0 ? path.substring(0, q) : path);
    }
}
