package dev.jmoq.cli.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The hang catalog, track {@code catalog.json}: a JSON object with optional {@code video} and {@code audio}
 * sections, each {@code {"renditions": {trackName: config}}} (schema of {@code @moq/hang} 0.3.5
 * {@code catalog/root.js}; description in hex, container {@code {"kind": "legacy"}}). On the wire (as
 * {@code @moq/json}'s snapshot track) the first frame of each group is the whole catalog and later frames of
 * the group are RFC 7396 merge patches; {@link #merge} applies one.
 */
public final class HangCatalog {
    /** The catalog track's name. */
    public static final String TRACK = "catalog.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private HangCatalog() {
    }

    /** The catalog JSON (UTF-8) for these renditions. */
    public static byte[] encode(List<Rendition> renditions) {
        ObjectNode root = JSON.createObjectNode();
        for (Rendition r : renditions) {
            String section = r.kind() == MediaKind.VIDEO ? "video" : "audio";
            ObjectNode sec = root.has(section) ? (ObjectNode) root.get(section) : root.putObject(section);
            ObjectNode rs = sec.has("renditions") ? (ObjectNode) sec.get("renditions") : sec.putObject("renditions");
            ObjectNode c = rs.putObject(r.track());
            c.put("codec", r.codec());
            c.putObject("container").put("kind", r.container());
            if (r.description() != null) {
                c.put("description", HEX.formatHex(r.description()));
            }
            if (r.kind() == MediaKind.VIDEO) {
                if (r.codedWidth() > 0) {
                    c.put("codedWidth", r.codedWidth());
                    c.put("codedHeight", r.codedHeight());
                }
                if (r.framerate() > 0) {
                    c.put("framerate", r.framerate());
                }
                c.put("optimizeForLatency", true);
            } else {
                c.put("sampleRate", r.sampleRate());
                c.put("numberOfChannels", r.channels());
            }
            if (r.jitter() > 0) {
                c.put("jitter", r.jitter());
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a catalog frame.
     *
     * @throws Mp4Exception not JSON, or not an object
     */
    public static JsonNode parse(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new Mp4Exception("catalog is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Mp4Exception("catalog is not JSON: " + e.getMessage());
        }
    }

    /** RFC 7396 JSON merge patch: {@code target} with {@code patch} applied (a new value). */
    public static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else {
                out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
            }
        }
        return out;
    }

    /**
     * The renditions of a parsed catalog, video first. Renditions in the old array form or without a codec
     * are reported as malformed.
     *
     * @throws Mp4Exception a rendition lacks its codec, or an audio rendition its sampleRate/numberOfChannels
     */
    public static List<Rendition> renditions(JsonNode root) {
        List<Rendition> out = new ArrayList<>();
        section(root, "video", MediaKind.VIDEO, out);
        section(root, "audio", MediaKind.AUDIO, out);
        return out;
    }

    private static void section(JsonNode root, String name, MediaKind kind, List<Rendition> out) {
        JsonNode rs = root.path(name).path("renditions");
        for (Iterator<Map.Entry<String, JsonNode>> it = rs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            if (!c.path("codec").isTextual()) {
                throw new Mp4Exception("catalog " + name + " rendition " + e.getKey() + " has no codec");
            }
            String container = c.path("container").path("kind").asText("legacy");
            byte[] description = null;
            if (c.path("description").isTextual()) {
                try {
                    description = HEX.parseHex(c.get("description").asText());
                } catch (IllegalArgumentException bad) {
                    throw new Mp4Exception("catalog " + name + " rendition " + e.getKey() + " has a description that is not hex");
                }
            }
            if (kind == MediaKind.AUDIO && (!c.path("sampleRate").canConvertToInt() || !c.path("numberOfChannels").canConvertToInt())) {
                throw new Mp4Exception("catalog audio rendition " + e.getKey() + " lacks sampleRate or numberOfChannels");
            }
            out.add(new Rendition(e.getKey(), kind, c.get("codec").asText(), container, description, c.path("codedWidth").asInt(0),
                    c.path("codedHeight").asInt(0), c.path("framerate").asDouble(0), c.path("sampleRate").asInt(0),
                    c.path("numberOfChannels").asInt(0), c.path("jitter").asLong(0)));
        }
    }
}
