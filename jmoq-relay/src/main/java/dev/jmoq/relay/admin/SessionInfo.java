package dev.jmoq.relay.admin;

import dev.jmoq.core.session.LiteSession;
import dev.jmoq.wire.lite.LiteVersion;

/**
 * What the dashboard shows of one open session. Immutable.
 *
 * @param transport {@code quic}, {@code webtransport} or {@code websocket}
 * @param version   the negotiated protocol ({@code moq-lite-04}), or {@code pending} before setup completes
 * @param root      the session's root path (its URL path, or its token's root)
 */
public record SessionInfo(String transport, String version, String root) {
    /** Reads {@code s} from any thread (its fields are published before the session is listed). */
    public static SessionInfo of(LiteSession s) {
        LiteVersion v = s.version();
        return new SessionInfo(s.connection().kind().label(), v == null ? "pending" : LiteSession.versionName(v),
                s.root() == null ? "" : s.root());
    }
}
