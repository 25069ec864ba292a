package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HangCatalogTest {
    private static final Rendition VIDEO = new Rendition("video0", MediaKind.VIDEO, "avc1.42c00a", "legacy",
            new byte[] {1, 0x42, (byte) 0xc0, 0x0a, (byte) 0xff}, 64, 48, 10, 0, 0, 100);
    private static final Rendition AUDIO = new Rendition("audio0", MediaKind.AUDIO, "opus", "legacy", null, 0, 0, 0, 48_000, 1, 20);

    @Test
    void theSchemaHang035Reads() {
        String json = new String(HangCatalog.encode(List.of(VIDEO, AUDIO)), StandardCharsets.UTF_8);
        assertEquals("{\"video\":{\"renditions\":{\"video0\":{\"codec\":\"avc1.42c00a\",\"container\":{\"kind\":\"legacy\"},"
                + "\"description\":\"0142c00aff\",\"codedWidth\":64,\"codedHeight\":48,\"framerate\":10.0,\"optimizeForLatency\":true,"
                + "\"jitter\":100}}},\"audio\":{\"renditions\":{\"audio0\":{\"codec\":\"opus\",\"container\":{\"kind\":\"legacy\"},"
                + "\"sampleRate\":48000,\"numberOfChannels\":1,\"jitter\":20}}}}", json);
    }

    @Test
    void parsesWhatItWrites() {
        assertEquals(List.of(VIDEO, AUDIO), HangCatalog.renditions(HangCatalog.parse(HangCatalog.encode(List.of(VIDEO, AUDIO)))));
    }

    @Test
    void readsABrowserPublishersCatalog() {
        // As @moq/publish 0.2.17 writes it: Annex B H.264 without a description, AAC with its config.
        String json = "{\"video\":{\"renditions\":{\"video\":{\"codec\":\"avc1.42e01e\",\"codedWidth\":640,\"codedHeight\":480,"
                + "\"optimizeForLatency\":true,\"container\":{\"kind\":\"legacy\"},\"jitter\":34}}},\"audio\":{\"renditions\":{\"audio\":"
                + "{\"codec\":\"mp4a.40.2\",\"sampleRate\":48000,\"numberOfChannels\":2,\"bitrate\":128000,\"container\":{\"kind\":\"legacy\"},"
                + "\"description\":\"1190\",\"jitter\":22}}}}";
        List<Rendition> r = HangCatalog.renditions(HangCatalog.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Rendition("video", MediaKind.VIDEO, "avc1.42e01e", "legacy", null, 640, 480, 0, 0, 0, 34), r.get(0));
        assertEquals(new Rendition("audio", MediaKind.AUDIO, "mp4a.40.2", "legacy", new byte[] {0x11, (byte) 0x90}, 0, 0, 0, 48_000, 2, 22),
                r.get(1));
    }

    @Test
    void aRenditionWithoutAContainerIsLegacy() {
        String json = "{\"video\":{\"renditions\":{\"v\":{\"codec\":\"vp8\"}}}}";
        assertEquals("legacy", HangCatalog.renditions(HangCatalog.parse(json.getBytes(StandardCharsets.UTF_8))).getFirst().container());
    }

    @Test
    void mergePatchPerRfc7396() {
        var target = HangCatalog.parse("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}".getBytes(StandardCharsets.UTF_8));
        var patch = HangCatalog.parse("{\"a\":\"z\",\"c\":{\"f\":null}}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}", HangCatalog.merge(target, patch).toString());
    }

    @Test
    void malformedCatalogsAreErrorsNotCrashes() {
        assertThrows(Mp4Exception.class, () -> HangCatalog.parse("[1]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(Mp4Exception.class, () -> HangCatalog.parse("{\"video\":".getBytes(StandardCharsets.UTF_8)));
        assertThrows(Mp4Exception.class, () -> HangCatalog.renditions(HangCatalog.parse(
                "{\"video\":{\"renditions\":{\"v\":{\"width\":1}}}}".getBytes(StandardCharsets.UTF_8))));
        assertThrows(Mp4Exception.class, () -> HangCatalog.renditions(HangCatalog.parse(
                "{\"audio\":{\"renditions\":{\"a\":{\"codec\":\"opus\"}}}}".getBytes(StandardCharsets.UTF_8))));
        assertThrows(Mp4Exception.class, () -> HangCatalog.renditions(HangCatalog.parse(
                "{\"video\":{\"renditions\":{\"v\":{\"codec\":\"avc1.42e01e\",\"description\":\"xyz\"}}}}".getBytes(StandardCharsets.UTF_8))));
    }
}
