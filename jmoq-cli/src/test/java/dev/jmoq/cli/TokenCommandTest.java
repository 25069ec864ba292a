package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.session.Grant;
import dev.jmoq.relay.auth.Jwt;
import dev.jmoq.relay.auth.JwtAlgorithm;
import dev.jmoq.relay.auth.KeySet;
import dev.jmoq.relay.auth.TokenClaims;
import dev.jmoq.relay.auth.TokenGrants;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int generate(String... args) {
        TokenCommand.GenerateKey cmd = new TokenCommand.GenerateKey();
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    private int sign(String... args) {
        TokenCommand.Sign cmd = new TokenCommand.Sign();
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandLine(cmd).execute(args);
    }

    @Test
    void generatedKeysSignTokensTheRelayAccepts() throws Exception {
        for (JwtAlgorithm alg : JwtAlgorithm.values()) {
            Path key = dir.resolve(alg + ".jwk");
            Path pub = dir.resolve(alg + ".pub.jwk");
            boolean secret = alg == JwtAlgorithm.HS256;
            int code = secret ? generate("--alg", alg.name(), "--out", key.toString())
                    : generate("--alg", alg.name(), "--out", key.toString(), "--public-out", pub.toString());
            assertEquals(0, code, err.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            out.reset();
            assertEquals(0, sign("--key", key.toString(), "--root", "room", "--put", "alice", "--get", "",
                    "--expires", "1h"), err.toString());
            String token = out.toString(StandardCharsets.UTF_8).strip();
            KeySet verifier = KeySet.load(secret ? key : pub);
            TokenClaims claims = Jwt.verify(token, verifier, Instant.now());
            assertEquals("room", claims.root());
            assertEquals(List.of("alice"), claims.publish());
            assertEquals(List.of(""), claims.subscribe());
            Duration left = Duration.between(Instant.now(), claims.expires());
            assertTrue(left.compareTo(Duration.ofMinutes(59)) > 0 && left.compareTo(Duration.ofMinutes(61)) < 0, left.toString());
            Grant g = TokenGrants.grant(claims, "/room");
            assertTrue(g.mayPublish("room/alice"));
            assertFalse(g.mayPublish("room/bob"));
        }
    }

    @Test
    void anExistingKeyIsNotOverwritten() throws Exception {
        Path key = dir.resolve("k.jwk");
        Files.writeString(key, "keep");
        assertEquals(2, generate("--out", key.toString()));
        assertEquals("keep", Files.readString(key));
    }

    @Test
    void signingRefusesUselessTokensBadDurationsAndPublicKeys() throws Exception {
        Path key = dir.resolve("k.jwk");
        Path pub = dir.resolve("k.pub.jwk");
        assertEquals(0, generate("--alg", "eddsa", "--out", key.toString(), "--public-out", pub.toString()));
        assertEquals(2, sign("--key", key.toString(), "--root", "room"));
        assertEquals(2, sign("--key", key.toString(), "--get", "", "--expires", "soon"));
        assertEquals(2, sign("--key", pub.toString(), "--get", ""));
        assertEquals(2, generate("--alg", "HS256", "--out", dir.resolve("h.jwk").toString(), "--public-out",
                dir.resolve("h.pub").toString()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
