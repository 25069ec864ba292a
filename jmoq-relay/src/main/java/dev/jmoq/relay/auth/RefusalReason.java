package dev.jmoq.relay.auth;

import java.util.Locale;

/** Why a session was refused; {@link #label()} is the value of the {@code reason} tag of the refusal metric. */
public enum RefusalReason {
    /** A browser session's Origin header is not in the allow-list. */
    ORIGIN_NOT_ALLOWED,
    /** No token, and the path is not public. */
    TOKEN_REQUIRED,
    /** A token, but the relay has no key to verify it with. */
    TOKEN_UNEXPECTED,
    /** Not a JWS compact token, or its header or claims are not valid JSON of the right shape. */
    TOKEN_MALFORMED,
    /** No configured key matches the token's {@code kid} and {@code alg}. */
    UNKNOWN_KEY,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** The {@code exp} claim is in the past. */
    EXPIRED,
    /** The token's root does not overlap the connection's path, or it grants nothing there. */
    WRONG_PATH,
    /**
     * The connection's path, or the token's root or one of its prefixes, is one the relay does not store
     * (core.model.Paths#problem: too long, a dot segment, a control character). Also counted in
     * {@code jmoq_limit_violations{kind="path"}}.
     */
    INVALID_PATH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
