package dev.jmoq.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.session.Grant;
import dev.jmoq.core.session.SessionAuthorizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthorizerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final JwtKey key = JwtKey.generate(JwtAlgorithm.ES256, null);
    private final List<RefusalReason> refusals = new ArrayList<>();

    private JwtAuthorizer authorizer(List<String> pubSub, List<String> pubPub, List<String> origins) throws Exception {
        return new JwtAuthorizer(KeySet.parse(key.toJwk(false).toString()), pubSub, pubPub, origins,
                refusals::add, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private String token(String root, List<String> put, List<String> get) {
        return Jwt.sign(new TokenClaims(root, put, get, NOW.plusSeconds(60), NOW), key);
    }

    private RefusalReason refused(SessionAuthorizer a, FakeConnection c) {
        int before = refusals.size();
        SessionAuthorizer.Refused r = assertThrows(SessionAuthorizer.Refused.class, () -> a.authorize(c));
        assertEquals(before + 1, refusals.size(), "a refusal is counted once");
        RefusalReason reason = refusals.getLast();
        assertTrue(r.getMessage().startsWith(reason.label() + ":"), r.getMessage());
        return reason;
    }

    /**
     * A connection without a token is refused as such only once its session had the chance to present one
     * in its setup: the first refusal says so and is not counted, the setup's answer (null) is.
     */
    private RefusalReason missingToken(SessionAuthorizer a, FakeConnection c) {
        int before = refusals.size();
        SessionAuthorizer.Refused first = assertThrows(SessionAuthorizer.Refused.class, () -> a.authorize(c));
        assertTrue(first.tokenMissing(), first.getMessage());
        assertEquals(before, refusals.size(), "not counted before the setup had its say");
        SessionAuthorizer.Refused r = assertThrows(SessionAuthorizer.Refused.class, () -> a.authorize(c, null));
        assertEquals(before + 1, refusals.size(), "a refusal is counted once");
        assertTrue(!r.tokenMissing() && r.getMessage().startsWith(refusals.getLast().label() + ":"), r.getMessage());
        return refusals.getLast();
    }

    @Test
    void aSetupTokenGrantsWhatTheSameTokenInTheUrlGrants() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String t = token("room", List.of("alice"), List.of(""));
        assertEquals(a.authorize(FakeConnection.at("/room?jwt=" + t)), a.authorize(FakeConnection.at("/room"), t));
        SessionAuthorizer.Refused r = assertThrows(SessionAuthorizer.Refused.class,
                () -> a.authorize(FakeConnection.at("/room"), t + "x"));
        assertTrue(!r.tokenMissing());
        assertEquals(List.of(RefusalReason.BAD_SIGNATURE), refusals);
    }

    @Test
    void aTokenGrantsItsPrefixesRelativeToItsRoot() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String t = token("room", List.of("alice"), List.of(""));
        Grant g = a.authorize(FakeConnection.at("/room?jwt=" + t));
        assertEquals(new Grant("room", List.of("room/alice"), List.of("room"), NOW.plusSeconds(60)), g);
        assertTrue(g.mayPublish("room/alice/cam"));
        assertFalse(g.mayPublish("room/bob"));
        assertTrue(g.maySubscribe("room/bob"));
        assertFalse(g.maySubscribe("other"));
    }

    @Test
    void aPercentEncodedDotSegmentCannotClimbOutOfTheTokensRoot() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String t = token("room/alice", List.of(""), List.of(""));
        // room/alice/../bob would be stored literally and read as room/bob by a client that resolves dot segments.
        assertEquals(RefusalReason.INVALID_PATH, refused(a, FakeConnection.at("/room/alice%2F..%2Fbob?jwt=" + t)));
        assertEquals(RefusalReason.INVALID_PATH, refused(a, FakeConnection.at("/room/alice/%2e%2e/bob?jwt=" + t)));
        assertEquals(RefusalReason.INVALID_PATH, refused(a, FakeConnection.at("/room/alice/%00?jwt=" + t)));
        assertEquals(RefusalReason.INVALID_PATH, refused(a, FakeConnection.at("/room/alice/" + "x".repeat(1100) + "?jwt=" + t)));
        // An encoded slash alone is an ordinary separator.
        assertEquals("room/alice/bob", a.authorize(FakeConnection.at("/room/alice%2Fbob?jwt=" + t)).root());
    }

    @Test
    void aTokenWhosePathsTheRelayWouldNotStoreIsRefused() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        assertEquals(RefusalReason.INVALID_PATH,
                refused(a, FakeConnection.at("/room?jwt=" + token("room/alice/..", List.of(""), List.of("")))));
        assertEquals(RefusalReason.INVALID_PATH,
                refused(a, FakeConnection.at("/room?jwt=" + token("room", List.of("../x"), List.of("")))));
        assertEquals(RefusalReason.INVALID_PATH,
                refused(a, FakeConnection.at("/room?jwt=" + token("room", List.of(), List.of("a\u0001")))));
    }

    @Test
    void aPathBelowTheRootNarrowsTheGrant() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String t = token("room", List.of("alice"), List.of(""));
        assertEquals(new Grant("room/alice", List.of("room/alice"), List.of("room/alice"), NOW.plusSeconds(60)),
                a.authorize(FakeConnection.at("/room/alice?jwt=" + t)));
        assertEquals(new Grant("room/bob", List.of(), List.of("room/bob"), NOW.plusSeconds(60)),
                a.authorize(FakeConnection.at("/room/bob?x=1&jwt=" + t)));
    }

    @Test
    void aPathAboveTheRootKeepsTheGrantAnchoredAtTheRoot() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String t = token("room", List.of("alice"), List.of(""));
        assertEquals(new Grant("", List.of("room/alice"), List.of("room"), NOW.plusSeconds(60)),
                a.authorize(FakeConnection.at("/?jwt=" + t)));
    }

    @Test
    void tokensForAnotherPathAreRefused() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String t = token("room", List.of("alice"), List.of(""));
        assertEquals(RefusalReason.WRONG_PATH, refused(a, FakeConnection.at("/other?jwt=" + t)));
        // put only alice: connecting at room/bob with no get would grant nothing
        String putOnly = token("room", List.of("alice"), List.of());
        assertEquals(RefusalReason.WRONG_PATH, refused(a, FakeConnection.at("/room/bob?jwt=" + putOnly)));
    }

    @Test
    void confinementIsAtSegmentBoundaries() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String t = token("room", List.of(""), List.of(""));
        assertEquals(RefusalReason.WRONG_PATH, refused(a, FakeConnection.at("/roomy?jwt=" + t)));
        Grant g = a.authorize(FakeConnection.at("/room?jwt=" + t));
        assertTrue(g.mayPublish("room/x"));
        assertFalse(g.mayPublish("roomy"));
        assertFalse(g.mayPublish("roomy/x"));
        assertFalse(g.maySubscribe("roomy"));
        String alice = token("", List.of("alice"), List.of());
        Grant ga = a.authorize(FakeConnection.at("/?jwt=" + alice));
        assertTrue(ga.mayPublish("alice"));
        assertFalse(ga.mayPublish("alicex"));
        assertEquals(RefusalReason.WRONG_PATH, refused(a, FakeConnection.at("/alicex?jwt=" + alice)));
    }

    @Test
    void expiredAndTamperedTokensAreRefusedAndCounted() throws Exception {
        JwtAuthorizer a = authorizer(List.of(), List.of(), List.of());
        String expired = Jwt.sign(new TokenClaims("room", List.of(""), List.of(""), NOW.minusSeconds(1), null), key);
        assertEquals(RefusalReason.EXPIRED, refused(a, FakeConnection.at("/room?jwt=" + expired)));
        String t = token("room", List.of(""), List.of(""));
        int sig = t.lastIndexOf('.') + 1;
        byte[] s = java.util.Base64.getUrlDecoder().decode(t.substring(sig));
        s[10] ^= 0x40;
        String tampered = t.substring(0, sig) + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s);
        assertEquals(RefusalReason.BAD_SIGNATURE, refused(a, FakeConnection.at("/room?jwt=" + tampered)));
        assertEquals(List.of(RefusalReason.EXPIRED, RefusalReason.BAD_SIGNATURE), refusals);
    }

    @Test
    void withoutATokenOnlyPublicPrefixesAreGranted() throws Exception {
        JwtAuthorizer a = authorizer(List.of("anon"), List.of("anon/upload"), List.of());
        Grant g = a.authorize(FakeConnection.at("/anon"));
        assertEquals(new Grant("anon", List.of("anon/upload"), List.of("anon"), null), g);
        assertEquals(new Grant("", List.of("anon/upload"), List.of("anon"), null), a.authorize(FakeConnection.at("/")));
        assertEquals(RefusalReason.TOKEN_REQUIRED, missingToken(a, FakeConnection.at("/room")));
        assertEquals(RefusalReason.TOKEN_REQUIRED, missingToken(a, FakeConnection.at("/anonymous")));
        assertEquals(RefusalReason.TOKEN_REQUIRED, missingToken(a, FakeConnection.at("/room?jwt=")));
    }

    @Test
    void browserOriginsMustBeAllowed() throws Exception {
        JwtAuthorizer a = authorizer(List.of(""), List.of(), List.of("https://app.example.com"));
        assertEquals(RefusalReason.ORIGIN_NOT_ALLOWED,
                refused(a, new FakeConnection("/", "https://evil.example.com")));
        assertEquals(Grant.all("").subscribe(), a.authorize(new FakeConnection("/", "https://app.example.com")).subscribe());
        a.authorize(FakeConnection.at("/")); // native QUIC: no Origin header
    }

    @Test
    void withoutKeysTokensAreUnexpected() throws Exception {
        JwtAuthorizer a = new JwtAuthorizer(null, List.of("pub"), List.of(), List.of(), refusals::add,
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(RefusalReason.TOKEN_UNEXPECTED, refused(a, FakeConnection.at("/pub?jwt=abc")));
    }

    @Test
    void theFactoryBuildsFromConfig(@TempDir Path dir) throws Exception {
        SessionAuthorizer open = SessionAuthorizers.fromConfig(AuthOptions.defaults(), refusals::add);
        assertEquals(Grant.all("any/where"), open.authorize(FakeConnection.at("/any/where?jwt=ignored")));

        Path keyFile = dir.resolve("key.jwk");
        JwtKey hs = JwtKey.generate(JwtAlgorithm.HS256, null);
        Files.writeString(keyFile, hs.toJwk(true).toString());
        SessionAuthorizer jwt = SessionAuthorizers.fromConfig(
                new AuthOptions(keyFile, List.of(), List.of(), List.of()), refusals::add);
        String t = Jwt.sign(new TokenClaims("room", List.of("alice"), List.of(""), null, null), hs);
        assertEquals(List.of("room/alice"), jwt.authorize(FakeConnection.at("/room?jwt=" + t)).publish());
        assertThrows(SessionAuthorizer.Refused.class, () -> jwt.authorize(FakeConnection.at("/room")));

        Path bad = dir.resolve("bad.jwk");
        Files.writeString(bad, "{\"alg\":\"HS256\",\"k\":\"c2hvcnQ\"}");
        assertThrows(KeyFormatException.class, () -> SessionAuthorizers.fromConfig(
                new AuthOptions(bad, List.of(), List.of(), List.of()), refusals::add));
    }

    @Test
    void queryAndPathDecoding() {
        assertEquals("a b", JwtAuthorizer.queryParameter("x=1&jwt=a%20b", "jwt"));
        assertEquals("last", JwtAuthorizer.queryParameter("jwt=first&jwt=last&jwt=", "jwt"));
        assertEquals(null, JwtAuthorizer.queryParameter("jwtx=1", "jwt"));
        assertEquals("room/a+b c", JwtAuthorizer.decodePath("room/a+b%20c"));
    }
}
