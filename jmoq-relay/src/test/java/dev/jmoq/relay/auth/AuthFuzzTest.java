package dev.jmoq.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Coverage-guided fuzz targets for the token decoders: JWS compact tokens (header, claims, signature) and JWK
 * / JWK-set key files.
 *
 * <p>Invariants: a token is refused only with a {@link TokenException} (its reason is the metric label) and a
 * key file only with a {@link KeyFormatException}; nothing else escapes. A token that verifies is unexpired,
 * grants something and is plain ASCII. A key that parses re-exports to a JWK that parses to the same algorithm and id. The keys
 * ({@code AuthFuzzTest.jwks}) exist for these tests only. Seeds and saved findings:
 * {@code AuthFuzzTestInputs/<method>/}; docs/fuzzing.md.
 */
class AuthFuzzTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @FuzzTest
    void token(byte[] data) {
        String token = new String(data, StandardCharsets.ISO_8859_1);
        try {
            TokenClaims claims = Jwt.verify(token, Keys.SET, NOW);
            assertNotNull(claims);
            assertFalse(claims.grantsNothing(), "a token granting nothing was accepted");
            assertTrue(claims.expires() == null || !claims.expires().isBefore(NOW), "an expired token was accepted");
            // Base64url and the signature leave no room for other characters.
            assertTrue(token.chars().allMatch(c -> c < 128), "a token with non-ASCII bytes verified");
        } catch (TokenException e) {
            assertNotNull(e.reason());
            assertFalse(e.getMessage() == null || e.getMessage().isEmpty());
        }
    }

    @FuzzTest
    void keySet(byte[] data) throws KeyFormatException {
        KeySet set;
        try {
            set = KeySet.parse(new String(data, StandardCharsets.UTF_8));
        } catch (KeyFormatException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isEmpty());
            return;
        }
        assertFalse(set.keys().isEmpty());
        for (JwtKey k : set.keys()) {
            boolean secret = k.algorithm() == JwtAlgorithm.HS256;
            if (!secret && !k.canVerify()) {
                continue;
            }
            JwtKey again = KeySet.parse(k.toJwk(secret || k.canSign()).toString()).keys().getFirst();
            assertEquals(k.algorithm(), again.algorithm());
            assertEquals(k.kid(), again.kid());
            assertEquals(k.canSign(), again.canSign());
        }
    }

    /** The test keys, loaded on first use (the seed writer runs before they exist). */
    private static final class Keys {
        static final KeySet SET = keys();
    }

    private static KeySet keys() {
        try (InputStream in = AuthFuzzTest.class.getResourceAsStream("AuthFuzzTest.jwks")) {
            return KeySet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | KeyFormatException e) {
            throw new IllegalStateException("test keys missing: " + e.getMessage(), e);
        }
    }

    /** Writes the seed corpus and, when absent, the test keys (run from the module directory). */
    public static void main(String[] args) throws Exception {
        java.nio.file.Path res = java.nio.file.Path.of("src/test/resources/dev/jmoq/relay/auth");
        java.nio.file.Path jwks = res.resolve("AuthFuzzTest.jwks");
        if (!java.nio.file.Files.exists(jwks)) {
            var arr = KeySet.JSON.createArrayNode();
            for (JwtAlgorithm alg : JwtAlgorithm.values()) {
                arr.add(JwtKey.generate(alg, "fuzz-" + alg.name().toLowerCase()).toJwk(true));
            }
            java.nio.file.Files.createDirectories(res);
            java.nio.file.Files.writeString(jwks, KeySet.JSON.createObjectNode().set("keys", arr).toPrettyString());
        }
        KeySet keys = KeySet.parse(java.nio.file.Files.readString(jwks));
        java.nio.file.Path tokens = res.resolve("AuthFuzzTestInputs/token");
        java.nio.file.Path keyFiles = res.resolve("AuthFuzzTestInputs/keySet");
        java.nio.file.Files.createDirectories(tokens);
        java.nio.file.Files.createDirectories(keyFiles);
        int i = 0;
        for (JwtKey k : keys.keys()) {
            TokenClaims claims = new TokenClaims("room/alice", List.of(""), List.of("bob"), NOW.plusSeconds(3600), NOW);
            java.nio.file.Files.writeString(tokens.resolve("seed-" + k.algorithm()), Jwt.sign(claims, k));
            java.nio.file.Files.writeString(keyFiles.resolve("seed-" + (i++) + "-" + k.algorithm()),
                    k.toJwk(k.algorithm() == JwtAlgorithm.HS256).toString());
        }
        java.nio.file.Files.writeString(keyFiles.resolve("seed-set"), java.nio.file.Files.readString(jwks));
    }
}
