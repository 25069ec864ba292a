package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Paths;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.TrackNamespace;
import java.util.ArrayList;
import java.util.List;

/**
 * The mapping between a moq-transport Track Namespace tuple and a model path: each tuple field is one
 * path segment, joined by {@code /} (the mapping {@code @moq/net} uses). A field that is empty or holds
 * a {@code /} has no path and is refused by {@link #isPathLike}. Stateless.
 */
final class Namespaces {
    private Namespaces() {
    }

    /** The path of {@code ns} (fields joined by '/'), normalized; "" for the empty tuple. */
    static String toPath(TrackNamespace ns) {
        StringBuilder sb = new StringBuilder();
        for (Octets f : ns.fields()) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(f.utf8());
        }
        return Paths.normalize(sb.toString());
    }

    /** True when every field is a non-empty segment without '/', so {@link #toPath} is reversible. */
    static boolean isPathLike(TrackNamespace ns) {
        for (Octets f : ns.fields()) {
            String s = f.utf8();
            if (s.isEmpty() || s.indexOf('/') >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The tuple of {@code path}: one field per segment; the empty tuple for "". */
    static TrackNamespace of(String path) {
        String p = Paths.normalize(path);
        if (p.isEmpty()) {
            return TrackNamespace.EMPTY;
        }
        List<Octets> fields = new ArrayList<>();
        for (String seg : p.split("/")) {
            if (!seg.isEmpty()) {
                fields.add(Octets.utf8(seg));
            }
        }
        return new TrackNamespace(fields);
    }
}
