package dev.jmoq.relay.auth;

import dev.jmoq.core.model.Paths;
import dev.jmoq.core.session.Grant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns verified claims into the {@link Grant} of a session connected at a URL path, with moq-dev's
 * semantics: the token's {@code root} and the connection path must overlap (either may extend the other);
 * each {@code put}/{@code get} prefix, relative to the root, is narrowed to what lies at or below the path,
 * and dropped when it lies outside it. Paths match at segment boundaries ({@code room} never covers
 * {@code roomy}). The session's root is the connection path. Stateless.
 */
public final class TokenGrants {
    private TokenGrants() {
    }

    public static Grant grant(TokenClaims claims, String connectionPath) throws TokenException {
        checkPath(connectionPath, "connection path");
        checkPath(claims.root(), "token root");
        for (String g : claims.publish()) {
            checkPath(g, "token put prefix");
        }
        for (String g : claims.subscribe()) {
            checkPath(g, "token get prefix");
        }
        String path = Paths.normalize(connectionPath);
        String root = Paths.normalize(claims.root());
        String below; // how far the path reaches past the token's root
        String above; // how far the token's root reaches past the path
        if (Paths.hasPrefix(path, root)) {
            below = Paths.suffix(path, root);
            above = "";
        } else if (Paths.hasPrefix(root, path)) {
            below = "";
            above = Paths.suffix(root, path);
        } else {
            throw new TokenException(RefusalReason.WRONG_PATH, "token root \"" + root
                    + "\" does not cover path \"" + path + "\"");
        }
        List<String> publish = scope(claims.publish(), above, below, path);
        List<String> subscribe = scope(claims.subscribe(), above, below, path);
        if (publish.isEmpty() && subscribe.isEmpty()) {
            throw new TokenException(RefusalReason.WRONG_PATH, "token grants nothing at path \"" + path + "\"");
        }
        return new Grant(path, publish, subscribe, claims.expires());
    }

    /** Refuses a path the relay would not store (a signed token may still carry one: nothing then matches it). */
    private static void checkPath(String path, String what) throws TokenException {
        Paths.Problem problem = Paths.problem(path);
        if (problem != null) {
            throw new TokenException(RefusalReason.INVALID_PATH, what + " " + problem.description());
        }
    }

    /** Each granted prefix, as an absolute path at or below {@code path}. */
    private static List<String> scope(List<String> granted, String above, String below, String path) {
        List<String> out = new ArrayList<>();
        for (String g : granted) {
            String relative = Paths.join(above, Paths.normalize(g)); // relative to the connection path's level
            if (Paths.hasPrefix(relative, below)) {
                out.add(Paths.join(path, Paths.suffix(relative, below)));
            } else if (Paths.hasPrefix(below, relative)) {
                out.add(path); // the grant contains the whole path
            }
        }
        return out;
    }
}
