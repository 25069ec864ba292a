package dev.jmoq.relay.admin;

import dev.jmoq.core.session.Session;

/**
 * What the dashboard shows of one open session. Immutable.
 *
 * @param transport {@code quic}, {@code webtransport} or {@code websocket}
 * @param version   the negotiated protocol ({@code moq-lite-04}), or {@code pending} before setup completes
 * @param root      the session's root path (its URL path, or its token's root)
 */
public record SessionInfo(String transport, String version, String root) {
    /** Reads {@code s} from any thread (its fields are published before the session is listed). */
    public static SessionInfo of(Session s) {
        String protocol = s.protocol();
        return new SessionInfo(s.connection().kind().label(), protocol == null ? "pending" : protocol,
                s.root() == null ? "" : s.root());
    }
}
