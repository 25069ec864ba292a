package dev.jmoq.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jmoq.core.session.Grant;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys and tokens made by moq-dev's JavaScript token library (@moq/token 0.2.3; see src/test/node). */
class MoqTokenInteropTest {
    @Test
    void tokensSignedByMoqTokenVerifyForEachAlgorithm() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/auth/moq-token-0.2.3.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<String> algs = new java.util.ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            KeySet keys = KeySet.parse(v.get("verifyKey").textValue());
            String token = v.get("token").textValue();
            TokenClaims claims = Jwt.verify(token, keys, Instant.now());
            assertEquals("room", claims.root());
            assertEquals(List.of("alice"), claims.publish());
            assertEquals(List.of(""), claims.subscribe());
            Grant g = TokenGrants.grant(claims, "/room");
            assertEquals(List.of("room/alice"), g.publish());
            String tampered = token.substring(0, token.indexOf('.') + 1) + "eyJyb290IjoiIiwicHV0IjoiIn0"
                    + token.substring(token.lastIndexOf('.'));
            assertEquals(RefusalReason.BAD_SIGNATURE,
                    assertThrows(TokenException.class, () -> Jwt.verify(tampered, keys, Instant.now())).reason());
            algs.add(v.get("alg").textValue());
        }
        assertEquals(List.of("HS256", "ES256", "EdDSA"), algs);
    }
}
