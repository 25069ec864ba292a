package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class InitSegmentParserTest {
    private static InitSegmentParser.Result parse(String resource) throws Exception {
        Mp4BoxReader r = new Mp4BoxReader(new ByteArrayInputStream(Fixtures.bytes(resource)));
        for (Mp4Box b = r.next(); b != null; b = r.next()) {
            if (b.type().equals("moov")) {
                return InitSegmentParser.parse(b);
            }
        }
        throw new AssertionError("no moov");
    }

    @Test
    void h264AndOpus() throws Exception {
        InitSegmentParser.Result r = parse(Fixtures.OPUS);
        assertEquals(2, r.tracks().size());
        MediaTrack v = r.tracks().get(0);
        assertEquals(MediaKind.VIDEO, v.kind());
        assertEquals("avc1.42c00a", v.codec()); // Constrained Baseline, level 1.0 (what x264 picks for 64x48)
        assertEquals(64, v.width());
        assertEquals(48, v.height());
        assertEquals(1, v.description()[0]);
        assertEquals(4, AvcConfig.lengthSize(v.description()));
        MediaTrack a = r.tracks().get(1);
        assertEquals(MediaKind.AUDIO, a.kind());
        assertEquals("opus", a.codec());
        assertNull(a.description());
        assertEquals(48_000, a.sampleRate());
        assertEquals(1, a.channels());
        assertEquals(48_000, a.timescale());
    }

    @Test
    void h264AndAacWithItsAudioSpecificConfig() throws Exception {
        MediaTrack a = parse(Fixtures.AAC).tracks().get(1);
        assertEquals("mp4a.40.2", a.codec());
        // AAC-LC (2), 48 kHz (index 3), mono: 00010 0011 0001 000
        assertArrayEquals(new byte[] {0x11, (byte) 0x88}, java.util.Arrays.copyOf(a.description(), 2));
        assertEquals(48_000, a.sampleRate());
        assertEquals(1, a.channels());
    }

    @Test
    void aacConfigRoundTrips() {
        assertEquals(new AacConfig(2, 44_100, 2), AacConfig.parse(AacConfig.lowComplexity(44_100, 2)));
        assertThrows(Mp4Exception.class, () -> AacConfig.lowComplexity(12_345, 2));
    }

    @Test
    void notAMoovIsRefused() throws Exception {
        Mp4Box ftyp = new Mp4BoxReader(new ByteArrayInputStream(Fixtures.bytes(Fixtures.OPUS))).next();
        assertThrows(Mp4Exception.class, () -> InitSegmentParser.parse(ftyp));
    }
}
