package dev.jmoq.transport.webtransport;

import dev.jmoq.transport.websocket.TransportFuzzSeeds;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Seeds of {@link H3FuzzTest}: a Chromium-like extended CONNECT, a close capsule, RFC 7541's Huffman examples. */
public final class H3FuzzSeeds {
    private H3FuzzSeeds() {
    }

    /** Writes the seeds under {@code root}. */
    public static void write(Path root) throws IOException {
        List<Map.Entry<String, String>> connect = List.of(
                new AbstractMap.SimpleEntry<>(":method", "CONNECT"),
                new AbstractMap.SimpleEntry<>(":protocol", "webtransport"),
                new AbstractMap.SimpleEntry<>(":scheme", "https"),
                new AbstractMap.SimpleEntry<>(":authority", "localhost:4443"),
                new AbstractMap.SimpleEntry<>(":path", "/room/alice?jwt=abc"),
                new AbstractMap.SimpleEntry<>("origin", "https://example.com"),
                new AbstractMap.SimpleEntry<>("wt-available-protocols", "\"moq-lite-04\", \"moq-lite-03\""),
                new AbstractMap.SimpleEntry<>("sec-webtransport-http3-draft02", "1"));
        ByteBuf section = Unpooled.buffer();
        Qpack.encode(section, connect);
        byte[] fields = ByteBufUtil.getBytes(section);
        TransportFuzzSeeds.write(root.resolve("fieldSection"), "seed-connect", -1, fields);
        // Literal name with a Huffman-coded value ("www.example.com"), and an indexed :status 200.
        TransportFuzzSeeds.write(root.resolve("fieldSection"), "seed-huffman", -1,
                HexFormat.of().parseHex("0000" + "23616263" + "8c" + "f1e3c2e5f23a6ba0ab90f4ff" + "d9"));
        ByteBuf stream = Unpooled.buffer();
        VarInt.write(stream, H3.FRAME_HEADERS);
        VarInt.write(stream, fields.length);
        stream.writeBytes(fields);
        VarInt.write(stream, H3.CAPSULE_CLOSE_WEBTRANSPORT_SESSION);
        byte[] reason = "bye".getBytes(StandardCharsets.UTF_8);
        VarInt.write(stream, 4 + reason.length);
        stream.writeInt(0);
        stream.writeBytes(reason);
        TransportFuzzSeeds.write(root.resolve("requestStream"), "seed-connect-close", 7, ByteBufUtil.getBytes(stream));
        ByteBuf settings = WebTransportServer.settingsFrame(io.netty.buffer.ByteBufAllocator.DEFAULT);
        TransportFuzzSeeds.write(root.resolve("requestStream"), "seed-settings", 255, ByteBufUtil.getBytes(settings));
        settings.release();
        String[] huffman = {"f1e3c2e5f23a6ba0ab90f4ff", "a8eb10649cbf", "25a849e95ba97d7f", "6402",
                "d07abe941054d444a8200595040b8166e082a62d1bff"};
        for (int i = 0; i < huffman.length; i++) {
            TransportFuzzSeeds.write(root.resolve("huffman"), "seed-rfc7541-" + i, -1, HexFormat.of().parseHex(huffman[i]));
        }
    }
}
