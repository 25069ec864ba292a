package dev.jmoq.relay.auth;

import dev.jmoq.core.model.Paths;
import dev.jmoq.core.session.Grant;
import dev.jmoq.core.session.SessionAuthorizer;
import dev.jmoq.transport.MoqConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Authorizes sessions from the connection URL: {@code /path?jwt=TOKEN}. A token is verified against the
 * configured keys and mapped to a {@link Grant} by {@link TokenGrants}; without a token, a path that
 * overlaps a public prefix gets exactly the public prefixes. Browser sessions (those with an Origin
 * header) must come from an allowed origin. Every refusal is told to the {@link RefusalListener} and
 * thrown as {@link SessionAuthorizer.Refused}.
 *
 * <p>Thread-safe and non-blocking (verification is CPU only), so it runs on the connection's event loop.
 */
public final class JwtAuthorizer implements SessionAuthorizer {
    private static final System.Logger LOG = System.getLogger("jmoq.auth");

    private final KeySet keys;
    private final List<String> publicSubscribe;
    private final List<String> publicPublish;
    private final List<String> allowedOrigins;
    private final RefusalListener refusals;
    private final Clock clock;

    private final boolean open;

    /**
     * With neither keys nor public prefixes the authorizer is open: every session (with an allowed origin)
     * may do everything under its path, and a token is ignored.
     *
     * @param keys           verifying keys; null when tokens are not accepted
     * @param allowedOrigins accepted Origin headers; empty (or containing "*") accepts any
     */
    public JwtAuthorizer(KeySet keys, List<String> publicSubscribe, List<String> publicPublish,
            List<String> allowedOrigins, RefusalListener refusals, Clock clock) {
        this.keys = keys;
        this.open = keys == null && publicSubscribe.isEmpty() && publicPublish.isEmpty();
        this.publicSubscribe = publicSubscribe.stream().map(Paths::normalize).toList();
        this.publicPublish = publicPublish.stream().map(Paths::normalize).toList();
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.refusals = refusals;
        this.clock = clock;
    }

    @Override
    public Grant authorize(MoqConnection connection) throws Refused {
        return authorize(connection, null, false);
    }

    /** A token the session presented in its setup: the same checks and grants as the URL's {@code ?jwt=}. */
    @Override
    public Grant authorize(MoqConnection connection, String token) throws Refused {
        return authorize(connection, token, true);
    }

    private Grant authorize(MoqConnection connection, String setupToken, boolean fromSetup) throws Refused {
        String origin = connection.origin();
        if (origin != null && !originAllowed(origin)) {
            throw refuse(connection, RefusalReason.ORIGIN_NOT_ALLOWED, "origin " + origin + " is not allowed");
        }
        String target = connection.path();
        int q = target.indexOf('?');
        String path;
        try {
            path = decodePath(q < 0 ? target : target.substring(0, q));
        } catch (IllegalArgumentException e) {
            throw refuse(connection, RefusalReason.TOKEN_MALFORMED, "malformed path");
        }
        // Checked after percent-decoding: /room/alice%2F..%2Fbob is room/alice/../bob, refused here.
        Paths.Problem problem = Paths.problem(path);
        if (problem != null) {
            throw refuse(connection, RefusalReason.INVALID_PATH, "URL path " + problem.description());
        }
        path = Paths.normalize(path);
        if (open) {
            return Grant.all(path);
        }
        String jwt = fromSetup ? setupToken : q < 0 ? null : queryParameter(target.substring(q + 1), "jwt");
        try {
            if (jwt != null) {
                if (keys == null) {
                    throw new TokenException(RefusalReason.TOKEN_UNEXPECTED, "token given but no auth key is configured");
                }
                return TokenGrants.grant(Jwt.verify(jwt, keys, clock.instant()), path);
            }
            if (overlapsPublic(path)) {
                return TokenGrants.grant(new TokenClaims("", publicPublish, publicSubscribe, null, null), path);
            }
            if (!fromSetup) {
                // The session may still present one in its setup (SessionAdmission asks again then).
                throw new Refused(RefusalReason.TOKEN_REQUIRED.label() + ": a token is required for path \"" + path
                        + "\"", true);
            }
            throw new TokenException(RefusalReason.TOKEN_REQUIRED, "a token is required for path \"" + path + "\"");
        } catch (TokenException e) {
            throw refuse(connection, e.reason(), e.getMessage());
        }
    }

    private boolean originAllowed(String origin) {
        return allowedOrigins.isEmpty() || allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    private boolean overlapsPublic(String path) {
        for (List<String> list : List.of(publicSubscribe, publicPublish)) {
            for (String p : list) {
                if (Paths.hasPrefix(path, p) || Paths.hasPrefix(p, path)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Refused refuse(MoqConnection connection, RefusalReason reason, String detail) {
        refusals.onRefused(reason);
        LOG.log(System.Logger.Level.INFO, "event=session_refused reason=" + reason.label() + " remote="
                + connection.remoteAddress() + " detail=\"" + detail.replace('"', '\'') + "\"");
        return new Refused(reason.label() + ": " + detail);
    }

    /** Percent-decodes a URL path; a '+' stays a '+' (it is a space only in query strings). */
    static String decodePath(String raw) {
        return raw.indexOf('%') < 0 ? raw : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The last non-empty value of {@code name} in a query string, decoded; null when absent. */
    static String queryParameter(String query, String name) {
        String found = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (eq > 0 && URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
                String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!v.isEmpty()) {
                    found = v;
                }
            }
        }
        return found;
    }
}
