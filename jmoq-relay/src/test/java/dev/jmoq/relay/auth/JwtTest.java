package dev.jmoq.relay.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class JwtTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final TokenClaims CLAIMS = new TokenClaims("room", List.of("alice"), List.of(""),
            NOW.plusSeconds(3600), NOW);

    /** The verifying side gets only what the signer publishes: the public JWK (the secret for HS256). */
    private static KeySet verifierOf(JwtKey key) throws Exception {
        boolean secret = key.algorithm() == JwtAlgorithm.HS256;
        return KeySet.parse(key.toJwk(secret).toString());
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void eachAlgorithmSignsAndVerifiesThroughItsJwk(JwtAlgorithm alg) throws Exception {
        JwtKey key = JwtKey.generate(alg, null);
        JwtKey reloaded = KeySet.parse(key.toJwk(true).toString()).keys().getFirst();
        String token = Jwt.sign(CLAIMS, reloaded);
        TokenClaims got = Jwt.verify(token, verifierOf(key), NOW);
        assertEquals(CLAIMS, got);
        String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        assertTrue(header.contains("\"alg\":\"" + alg.name() + "\""), header);
    }

    @ParameterizedTest
    @EnumSource(JwtAlgorithm.class)
    void aTamperedSignatureOrPayloadFails(JwtAlgorithm alg) throws Exception {
        JwtKey key = JwtKey.generate(alg, null);
        KeySet verifier = verifierOf(key);
        String token = Jwt.sign(CLAIMS, key);
        int sig = token.lastIndexOf('.') + 1;
        byte[] s = Base64.getUrlDecoder().decode(token.substring(sig));
        s[s.length / 2] ^= 1;
        String badSig = token.substring(0, sig) + Base64.getUrlEncoder().withoutPadding().encodeToString(s);
        TokenException e = assertThrows(TokenException.class, () -> Jwt.verify(badSig, verifier, NOW));
        assertEquals(RefusalReason.BAD_SIGNATURE, e.reason());

        String[] parts = token.split("\\.");
        String widened = new TokenClaims("", List.of(""), List.of(""), null, null).toJson().toString();
        String badClaims = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(widened.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        e = assertThrows(TokenException.class, () -> Jwt.verify(badClaims, verifier, NOW));
        assertEquals(RefusalReason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void aTokenFromAnotherKeyFails() throws Exception {
        String token = Jwt.sign(CLAIMS, JwtKey.generate(JwtAlgorithm.EdDSA, null));
        KeySet other = verifierOf(JwtKey.generate(JwtAlgorithm.EdDSA, null));
        assertEquals(RefusalReason.BAD_SIGNATURE,
                assertThrows(TokenException.class, () -> Jwt.verify(token, other, NOW)).reason());
    }

    @Test
    void expiredTokensAreRefusedAndUnexpiredOnesAccepted() throws Exception {
        JwtKey key = JwtKey.generate(JwtAlgorithm.HS256, null);
        String token = Jwt.sign(CLAIMS, key);
        KeySet keys = verifierOf(key);
        assertEquals(CLAIMS, Jwt.verify(token, keys, CLAIMS.expires()));
        TokenException e = assertThrows(TokenException.class,
                () -> Jwt.verify(token, keys, CLAIMS.expires().plusSeconds(1)));
        assertEquals(RefusalReason.EXPIRED, e.reason());
        TokenClaims forever = new TokenClaims("", List.of(), List.of("x"), null, null);
        assertEquals(forever, Jwt.verify(Jwt.sign(forever, key), keys, Instant.MAX));
    }

    @Test
    void theHeaderAlgorithmMustMatchTheKey() throws Exception {
        JwtKey es = JwtKey.generate(JwtAlgorithm.ES256, null);
        KeySet keys = verifierOf(es);
        String hs = Jwt.sign(CLAIMS, JwtKey.generate(JwtAlgorithm.HS256, null));
        assertEquals(RefusalReason.UNKNOWN_KEY, assertThrows(TokenException.class, () -> Jwt.verify(hs, keys, NOW)).reason());
        String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String signed = Jwt.sign(CLAIMS, es);
        String none = noneHeader + signed.substring(signed.indexOf('.'), signed.lastIndexOf('.') + 1);
        assertEquals(RefusalReason.UNKNOWN_KEY, assertThrows(TokenException.class, () -> Jwt.verify(none, keys, NOW)).reason());
    }

    @Test
    void keysAreChosenByKid() throws Exception {
        JwtKey a = JwtKey.generate(JwtAlgorithm.HS256, "a");
        JwtKey b = JwtKey.generate(JwtAlgorithm.ES256, "b");
        KeySet set = KeySet.parse("{\"keys\":[" + a.toJwk(true) + "," + b.toJwk(false) + "]}");
        assertEquals(CLAIMS, Jwt.verify(Jwt.sign(CLAIMS, a), set, NOW));
        assertEquals(CLAIMS, Jwt.verify(Jwt.sign(CLAIMS, b), set, NOW));
        JwtKey c = JwtKey.generate(JwtAlgorithm.HS256, "c");
        assertEquals(RefusalReason.UNKNOWN_KEY,
                assertThrows(TokenException.class, () -> Jwt.verify(Jwt.sign(CLAIMS, c), set, NOW)).reason());
        JwtKey noKid = JwtKey.generate(JwtAlgorithm.HS256, null);
        assertEquals(RefusalReason.UNKNOWN_KEY,
                assertThrows(TokenException.class, () -> Jwt.verify(Jwt.sign(CLAIMS, noKid), set, NOW)).reason());
    }

    @Test
    void malformedTokensAreRefused() throws Exception {
        KeySet keys = verifierOf(JwtKey.generate(JwtAlgorithm.HS256, null));
        for (String t : new String[] {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.AAAA"}) {
            TokenException e = assertThrows(TokenException.class, () -> Jwt.verify(t, keys, NOW), t);
            assertTrue(e.reason() == RefusalReason.TOKEN_MALFORMED || e.reason() == RefusalReason.UNKNOWN_KEY, t);
        }
    }

    @Test
    void putAndGetMayBeAStringOrAnArray() throws Exception {
        JwtKey key = JwtKey.generate(JwtAlgorithm.HS256, null);
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\"}".getBytes());
        String claims = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"root\":\"r\",\"put\":\"a\",\"get\":[\"b\",\"c\"]}".getBytes());
        String input = header + "." + claims;
        String token = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(input.getBytes()));
        TokenClaims got = Jwt.verify(token, verifierOf(key), NOW);
        assertEquals(new TokenClaims("r", List.of("a"), List.of("b", "c"), null, null), got);
    }

    @Test
    void moqTokenKeyFormsAreRead() throws Exception {
        // moq-token writes keys as base64url of the JWK JSON, and reads a JWK without kty as an oct key.
        String json = "{\"alg\":\"HS256\",\"key_ops\":[\"sign\",\"verify\"],\"k\":\"Fp8kipWUJeUFqeSqWym_tRC_tyI8z-QpqopIGrbrD68\"}";
        JwtKey plain = KeySet.parse(json).keys().getFirst();
        JwtKey encoded = KeySet.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes()))
                .keys().getFirst();
        assertEquals(JwtAlgorithm.HS256, plain.algorithm());
        byte[] input = "x".getBytes();
        assertArrayEquals(plain.sign(input), encoded.sign(input));
        JwtKey verifyOnly = KeySet.parse("{\"alg\":\"HS256\",\"key_ops\":[\"verify\"],\"k\":\"Fp8kipWUJeUFqeSqWym_tRC_tyI8z-QpqopIGrbrD68\"}")
                .keys().getFirst();
        assertFalse(verifyOnly.canSign());
        assertTrue(verifyOnly.verify(input, plain.sign(input)));
    }

    @Test
    void unusableKeysAreRejectedWithAReason() {
        String[] bad = {
                "{\"alg\":\"HS256\",\"k\":\"c2hvcnQ\"}", // 5-byte secret
                "{\"alg\":\"RS256\",\"kty\":\"RSA\"}",
                "{\"alg\":\"ES256\",\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\"}",
                "{\"alg\":\"EdDSA\",\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}",
                "{\"alg\":\"ES256\",\"kty\":\"OKP\"}",
                "{\"keys\":[]}",
                "not json at all",
        };
        for (String s : bad) {
            assertThrows(KeyFormatException.class, () -> KeySet.parse(s), s);
        }
    }
}
