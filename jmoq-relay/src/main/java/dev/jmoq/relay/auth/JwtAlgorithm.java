package dev.jmoq.relay.auth;

/** The JWS algorithms the relay verifies and the CLI signs with; the names are the JOSE {@code alg} values. */
public enum JwtAlgorithm {
    /** HMAC with SHA-256 and a shared secret (JWK {@code kty=oct}). */
    HS256,
    /** ECDSA on P-256 with SHA-256 (JWK {@code kty=EC}, {@code crv=P-256}); signatures are r||s, 64 bytes. */
    ES256,
    /** Ed25519 (JWK {@code kty=OKP}, {@code crv=Ed25519}). */
    EdDSA;

    /** The algorithm named {@code alg} (exact JOSE spelling), or null. */
    public static JwtAlgorithm fromJose(String alg) {
        for (JwtAlgorithm a : values()) {
            if (a.name().equals(alg)) {
                return a;
            }
        }
        return null;
    }
}
