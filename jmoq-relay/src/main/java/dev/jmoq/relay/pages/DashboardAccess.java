package dev.jmoq.relay.pages;

import dev.jmoq.core.model.Paths;
import dev.jmoq.relay.auth.AuthOptions;
import dev.jmoq.relay.auth.Jwt;
import dev.jmoq.relay.auth.KeyFormatException;
import dev.jmoq.relay.auth.KeySet;
import dev.jmoq.relay.auth.TokenClaims;
import dev.jmoq.relay.auth.TokenException;
import java.io.IOException;
import java.time.Clock;

/**
 * Who may read the dashboard's data on the relay's public port (the admin listener serves it to anyone who
 * can reach it, like {@code /metrics}). Follows the relay's auth configuration:
 * <ul>
 *   <li>open relay (no key, no public prefix): anyone, since anyone may already list and watch every
 *       broadcast there; the data carries no peer address;</li>
 *   <li>a key: a request must carry {@code Authorization: Bearer <jwt>} signed by that key with a grant over
 *       the whole relay (root {@code ""}, {@code put} and {@code get} both including {@code ""}): its holder
 *       may already publish and watch everything, so the dashboard shows them nothing new;</li>
 *   <li>public prefixes without a key: nobody (no token can be checked); use the admin listener.</li>
 * </ul>
 * See docs/decisions/0002-pages-and-dashboard.md.
 *
 * <p>Immutable after construction; thread-safe (verification is CPU only).
 */
public final class DashboardAccess {
    /** The outcome of a check: allowed, or the status and text to answer with. */
    public record Decision(boolean allowed, int status, String reason) {
        static final Decision ALLOW = new Decision(true, 200, "");
    }

    private enum Mode { OPEN, TOKEN, CLOSED }

    private final Mode mode;
    private final KeySet keys;
    private final Clock clock;

    private DashboardAccess(Mode mode, KeySet keys, Clock clock) {
        this.mode = mode;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * The policy for {@code auth}.
     *
     * @throws IllegalArgumentException the key file cannot be read
     */
    public static DashboardAccess of(AuthOptions auth, Clock clock) {
        if (auth.open()) {
            return new DashboardAccess(Mode.OPEN, null, clock);
        }
        if (auth.key() == null) {
            return new DashboardAccess(Mode.CLOSED, null, clock);
        }
        try {
            return new DashboardAccess(Mode.TOKEN, KeySet.load(auth.key()), clock);
        } catch (IOException | KeyFormatException e) {
            throw new IllegalArgumentException("auth.key: cannot load " + auth.key() + ": " + e.getMessage(), e);
        }
    }

    /** Decides on a request's {@code Authorization} header value (null when absent). */
    public Decision check(String authorization) {
        return switch (mode) {
            case OPEN -> Decision.ALLOW;
            case CLOSED -> new Decision(false, 403, "this relay has public prefixes but no auth key, so no token can be"
                    + " checked: the dashboard's data is served on the admin listener only\n");
            case TOKEN -> checkToken(authorization);
        };
    }

    private Decision checkToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Decision(false, 401, "an admin token is required: Authorization: Bearer <jwt> with root \"\","
                    + " put \"\" and get \"\" (./jmoq token sign --key KEY --put \"\" --get \"\" --expires 1h)\n");
        }
        TokenClaims claims;
        try {
            claims = Jwt.verify(authorization.substring(7).trim(), keys, clock.instant());
        } catch (TokenException e) {
            return new Decision(false, 401, "token refused: " + e.getMessage() + "\n");
        }
        boolean whole = Paths.normalize(claims.root()).isEmpty()
                && claims.publish().stream().map(Paths::normalize).anyMatch(String::isEmpty)
                && claims.subscribe().stream().map(Paths::normalize).anyMatch(String::isEmpty);
        return whole ? Decision.ALLOW : new Decision(false, 403,
                "the token does not grant the whole relay (root \"\", put \"\" and get \"\")\n");
    }
}
