package dev.jmoq.relay.auth;

import java.nio.file.Path;
import java.util.List;

/**
 * How sessions are authenticated. Immutable.
 *
 * <p>No key and no public prefix: every session may do everything under its URL path (development).
 * A key: a session must carry a token ({@code ?jwt=}) signed by it, unless its path overlaps a public
 * prefix. Public prefixes alone: only anonymous access under them; tokens are refused.
 *
 * @param key             a JWK or JWK set file (JSON, or base64url of the JSON as moq-token writes it); null for none
 * @param publicSubscribe prefixes anyone may discover and subscribe to without a token
 * @param publicPublish   prefixes anyone may publish under without a token
 * @param allowedOrigins  {@code Origin} header values accepted from browser sessions; empty accepts any
 */
public record AuthOptions(Path key, List<String> publicSubscribe, List<String> publicPublish,
        List<String> allowedOrigins) {

    public AuthOptions {
        publicSubscribe = List.copyOf(publicSubscribe);
        publicPublish = List.copyOf(publicPublish);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public static AuthOptions defaults() {
        return new AuthOptions(null, List.of(), List.of(), List.of());
    }

    /** True when neither a key nor a public prefix is configured: everything is allowed. */
    public boolean open() {
        return key == null && publicSubscribe.isEmpty() && publicPublish.isEmpty();
    }
}
