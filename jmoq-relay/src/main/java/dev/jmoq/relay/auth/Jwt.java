package dev.jmoq.relay.auth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * JWS compact tokens ({@code header.claims.signature}, base64url) carrying {@link TokenClaims}. Stateless;
 * thread-safe.
 */
public final class Jwt {
    /** Longest token accepted; a URL query parameter, so far below any real limit. */
    static final int MAX_LENGTH = 8192;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private Jwt() {
    }

    /** Signs {@code claims} with {@code key}; the header carries {@code alg}, {@code typ} and the key's {@code kid}. */
    public static String sign(TokenClaims claims, JwtKey key) {
        ObjectNode header = KeySet.JSON.createObjectNode();
        header.put("alg", key.algorithm().name());
        header.put("typ", "JWT");
        if (key.kid() != null) {
            header.put("kid", key.kid());
        }
        String input = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.toJson().toString().getBytes(StandardCharsets.UTF_8));
        return input + "." + B64.encodeToString(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Verifies {@code token}'s signature with the matching key of {@code keys} and returns its claims.
     * Refuses an expired token ({@code exp} before {@code now}) and one that grants nothing.
     */
    public static TokenClaims verify(String token, KeySet keys, Instant now) throws TokenException {
        if (token.length() > MAX_LENGTH) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "token longer than " + MAX_LENGTH);
        }
        int a = token.indexOf('.');
        int b = a < 0 ? -1 : token.indexOf('.', a + 1);
        if (a < 0 || b < 0 || token.indexOf('.', b + 1) >= 0) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "not a JWS compact token");
        }
        JsonNode header = json(token.substring(0, a), "header");
        JsonNode algNode = header.get("alg");
        JwtAlgorithm alg = algNode == null || !algNode.isTextual() ? null : JwtAlgorithm.fromJose(algNode.textValue());
        if (alg == null) {
            throw new TokenException(RefusalReason.UNKNOWN_KEY, "unsupported or missing alg " + algNode);
        }
        if (header.has("crit")) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "critical header extensions are not supported");
        }
        JsonNode kidNode = header.get("kid");
        String kid = kidNode != null && kidNode.isTextual() ? kidNode.textValue() : null;
        JwtKey key = keys.select(alg, kid);
        byte[] signature;
        try {
            signature = UNB64.decode(token.substring(b + 1));
        } catch (IllegalArgumentException e) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "signature is not base64url");
        }
        if (!key.verify(token.substring(0, b).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new TokenException(RefusalReason.BAD_SIGNATURE, "signature does not verify");
        }
        TokenClaims claims = TokenClaims.fromJson(json(token.substring(a + 1, b), "claims"));
        if (claims.expires() != null && claims.expires().isBefore(now)) {
            throw new TokenException(RefusalReason.EXPIRED, "token expired at " + claims.expires());
        }
        if (claims.grantsNothing()) {
            throw new TokenException(RefusalReason.WRONG_PATH, "token grants neither put nor get");
        }
        return claims;
    }

    private static JsonNode json(String part, String what) throws TokenException {
        try {
            JsonNode n = KeySet.JSON.readTree(UNB64.decode(part));
            if (n == null || !n.isObject()) {
                throw new TokenException(RefusalReason.TOKEN_MALFORMED, what + " is not a JSON object");
            }
            return n;
        } catch (IllegalArgumentException | JacksonException e) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, what + " is not base64url JSON");
        } catch (java.io.IOException e) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, what + " cannot be read");
        }
    }
}
