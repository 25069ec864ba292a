package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the hex vectors captured by src/test/node/capture.mjs. */
final class Vectors {
    static final String MOQ_LITE = "vectors/lite-moq-lite-0.2.2.json";
    static final String MOQ_NET = "vectors/lite-moq-net-0.3.4.json";

    private static final Pattern ENTRY = Pattern.compile("\"(0[1-5])/([a-z_]+)\"\\s*:\\s*\"([0-9a-f]*)\"");

    private Vectors() {
    }

    /** name ("04/subscribe") to bytes, in file order. */
    static Map<String, byte[]> load(String resource) throws IOException {
        try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing " + resource);
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, byte[]> out = new LinkedHashMap<>();
            Matcher m = ENTRY.matcher(json);
            while (m.find()) {
                out.put(m.group(1) + "/" + m.group(2), HexFormat.of().parseHex(m.group(3)));
            }
            return out;
        }
    }

    static LiteVersion version(String draft) {
        return LiteVersion.valueOf("DRAFT_" + draft);
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    static String hex(ByteBuf b) {
        return HexFormat.of().formatHex(bytes(b));
    }

    static ByteBuf wrap(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }
}
