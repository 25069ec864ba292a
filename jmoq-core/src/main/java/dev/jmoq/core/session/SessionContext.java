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
 */
public record SessionContext(MoqConnection connection, SessionConfig config, Origin publish, Origin serve,
        boolean clientSide, SessionStats stats, EgressStats egressStats, Grant grant) {

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
