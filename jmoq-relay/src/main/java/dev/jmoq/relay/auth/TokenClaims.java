package dev.jmoq.relay.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The claims of a relay token, compatible with moq-dev's moq-token: {@code root}, {@code put} (publish
 * prefixes) and {@code get} (subscribe prefixes), both relative to {@code root} and each a string or an
 * array of strings, {@code exp} and {@code iat} in Unix seconds. Immutable.
 *
 * @param root      the path the prefixes are relative to; "" for the relay's root
 * @param publish   prefixes under which the holder may announce ({@code put}); "" means all of root
 * @param subscribe prefixes under which the holder may subscribe ({@code get}); "" means all of root
 * @param expires   expiry ({@code exp}), or null for none
 * @param issued    issue time ({@code iat}), informational, or null
 */
public record TokenClaims(String root, List<String> publish, List<String> subscribe, Instant expires,
        Instant issued) {

    public TokenClaims {
        root = root == null ? "" : root;
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
    }

    /** True when the claims grant nothing (moq-token refuses to sign or accept such a token). */
    public boolean grantsNothing() {
        return publish.isEmpty() && subscribe.isEmpty();
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (!root.isEmpty()) {
            o.put("root", root);
        }
        if (!publish.isEmpty()) {
            o.putArray("put").addAll(publish.stream().map(JsonNodeFactory.instance::textNode).toList());
        }
        if (!subscribe.isEmpty()) {
            o.putArray("get").addAll(subscribe.stream().map(JsonNodeFactory.instance::textNode).toList());
        }
        if (expires != null) {
            o.put("exp", expires.getEpochSecond());
        }
        if (issued != null) {
            o.put("iat", issued.getEpochSecond());
        }
        return o;
    }

    static TokenClaims fromJson(JsonNode o) throws TokenException {
        if (!o.isObject()) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "claims are not a JSON object");
        }
        JsonNode root = o.get("root");
        if (root != null && !root.isNull() && !root.isTextual()) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "claim root is not a string");
        }
        return new TokenClaims(root == null || root.isNull() ? "" : root.textValue(), strings(o, "put"),
                strings(o, "get"), seconds(o, "exp"), seconds(o, "iat"));
    }

    private static List<String> strings(JsonNode o, String name) throws TokenException {
        JsonNode n = o.get(name);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.textValue());
            return out;
        }
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw new TokenException(RefusalReason.TOKEN_MALFORMED, "claim " + name + " holds a non-string");
                }
                out.add(e.textValue());
            }
            return out;
        }
        throw new TokenException(RefusalReason.TOKEN_MALFORMED, "claim " + name + " is not a string or array");
    }

    private static Instant seconds(JsonNode o, String name) throws TokenException {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "claim " + name + " is not a Unix time");
        }
        try {
            return Instant.ofEpochSecond(n.longValue());
        } catch (java.time.DateTimeException e) {
            throw new TokenException(RefusalReason.TOKEN_MALFORMED, "claim " + name + " is out of range");
        }
    }
}
