package dev.jmoq.relay.auth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The keys that verify tokens: one JWK, or a JWK set ({@code {"keys": [...]}}). A file holds the JSON,
 * or base64url of the JSON (the form moq-token writes). Immutable; thread-safe.
 */
public final class KeySet {
    static final ObjectMapper JSON = new ObjectMapper();

    private final List<JwtKey> keys;

    public KeySet(List<JwtKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a key set needs at least one key");
        }
        this.keys = List.copyOf(keys);
    }

    public List<JwtKey> keys() {
        return keys;
    }

    public static KeySet load(Path file) throws IOException, KeyFormatException {
        return parse(Files.readString(file));
    }

    /** A single key from a file (for signing). */
    public static JwtKey loadOne(Path file) throws IOException, KeyFormatException {
        KeySet set = load(file);
        if (set.keys.size() != 1) {
            throw new KeyFormatException(file + " holds " + set.keys.size() + " keys; give a file with one");
        }
        return set.keys.getFirst();
    }

    public static KeySet parse(String text) throws KeyFormatException {
        String s = text.strip();
        if (!s.startsWith("{")) {
            try {
                s = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new KeyFormatException("key file is neither JSON nor base64url-encoded JSON");
            }
        }
        JsonNode root;
        try {
            root = JSON.readTree(s);
        } catch (JacksonException e) {
            throw new KeyFormatException("key file is not valid JSON: " + e.getOriginalMessage());
        }
        List<JwtKey> out = new ArrayList<>();
        if (root != null && root.isObject() && root.has("keys")) {
            JsonNode arr = root.get("keys");
            if (!arr.isArray() || arr.isEmpty()) {
                throw new KeyFormatException("\"keys\" must be a non-empty array of JWKs");
            }
            for (JsonNode k : arr) {
                out.add(JwtKey.fromJwk(k));
            }
        } else if (root != null) {
            out.add(JwtKey.fromJwk(root));
        } else {
            throw new KeyFormatException("key file is empty");
        }
        return new KeySet(out);
    }

    /**
     * The key for a token whose header names {@code alg} and {@code kid}: with a kid, the key with that kid;
     * without, the only key. The key's algorithm must equal the header's (no algorithm substitution).
     */
    JwtKey select(JwtAlgorithm alg, String kid) throws TokenException {
        JwtKey found = null;
        if (kid != null) {
            for (JwtKey k : keys) {
                if (kid.equals(k.kid())) {
                    found = k;
                }
            }
            if (found == null && keys.size() == 1 && keys.getFirst().kid() == null) {
                found = keys.getFirst(); // a single key without an id verifies any token, as moq-dev's --auth-key
            }
        } else if (keys.size() == 1) {
            found = keys.getFirst();
        } else {
            throw new TokenException(RefusalReason.UNKNOWN_KEY, "token has no kid and the key set holds several keys");
        }
        if (found == null) {
            throw new TokenException(RefusalReason.UNKNOWN_KEY, "no key with kid " + kid);
        }
        if (found.algorithm() != alg) {
            throw new TokenException(RefusalReason.UNKNOWN_KEY, "token alg " + alg + " does not match the key's "
                    + found.algorithm());
        }
        return found;
    }
}
