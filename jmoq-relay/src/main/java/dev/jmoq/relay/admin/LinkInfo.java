package dev.jmoq.relay.admin;

import dev.jmoq.relay.cluster.ClusterLink;
import java.net.URI;

/**
 * What the dashboard shows of one cluster link. Immutable.
 *
 * @param uri       the other relay, without query (a cluster token travels in the query and is never shown)
 * @param kind      {@code upstream} or {@code peer}
 * @param connected a session over the link is established now
 * @param connects  sessions established so far (more than 1 after re-dials)
 */
public record LinkInfo(String uri, String kind, boolean connected, long connects) {
    public static LinkInfo of(ClusterLink l) {
        return new LinkInfo(shown(l.uri()), l.kind().name().toLowerCase(java.util.Locale.ROOT), l.isConnected(),
                l.connects());
    }

    /** {@code u} without its query and fragment (where a link's token travels). */
    static String shown(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
    }
}
