package dev.jmoq.core.session;

import dev.jmoq.core.model.Paths;
import java.time.Instant;
import java.util.List;

/**
 * What one session may do, decided once when it connects (from its token, or the anonymous policy).
 * Paths are absolute (normalized, relative to the relay's origin root); matching is per path segment.
 *
 * @param root      the session's root: every path on the wire is relative to it
 * @param publish   prefixes under which the peer may announce broadcasts
 * @param subscribe prefixes under which the peer may discover and subscribe
 * @param expires   when the session must end (its token expires); null for never
 */
public record Grant(String root, List<String> publish, List<String> subscribe, Instant expires) {
    public Grant {
        root = Paths.normalize(root);
        publish = publish.stream().map(Paths::normalize).toList();
        subscribe = subscribe.stream().map(Paths::normalize).toList();
    }

    /** Everything allowed under {@code root}. */
    public static Grant all(String root) {
        return new Grant(root, List.of(root), List.of(root), null);
    }

    public boolean mayPublish(String path) {
        return matches(publish, path);
    }

    public boolean maySubscribe(String path) {
        return matches(subscribe, path);
    }

    /** True when some broadcast under {@code prefix} may be subscribed to (the prefix overlaps a grant). */
    public boolean mayDiscover(String prefix) {
        for (String p : subscribe) {
            if (Paths.hasPrefix(p, prefix) || Paths.hasPrefix(prefix, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<String> prefixes, String path) {
        for (String p : prefixes) {
            if (Paths.hasPrefix(path, p)) {
                return true;
            }
        }
        return false;
    }
}
