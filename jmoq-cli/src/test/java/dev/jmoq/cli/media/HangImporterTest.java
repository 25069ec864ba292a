package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HangImporterTest {
    @Test
    void oneCatalogThenAGroupPerKeyframeAndPerAudioFragment() throws Exception {
        Fixtures.Collector c = Fixtures.importAll(Fixtures.bytes(Fixtures.OPUS));
        assertEquals(1, c.catalogs.size());
        String catalog = new String(c.catalogs.getFirst(), StandardCharsets.UTF_8);
        assertTrue(catalog.contains("\"video0\":{\"codec\":\"avc1.42c00a\""), catalog);
        assertTrue(catalog.contains("\"framerate\":10.0"), catalog);
        assertTrue(catalog.contains("\"audio0\":{\"codec\":\"opus\""), catalog);

        List<Fixtures.Frame> video = c.of("video0");
        assertEquals(5, video.size());
        // -g 5: one keyframe, so one group; the first frame starts it.
        assertEquals(List.of(true, false, false, false, false), video.stream().map(Fixtures.Frame::newGroup).toList());
        assertEquals(List.of(0L, 100_000L, 200_000L, 300_000L, 400_000L), video.stream().map(Fixtures.Frame::timestampMicros).toList());
        assertTrue(HangRecorder.hasIdr(video.getFirst().payload()));

        List<Fixtures.Frame> audio = c.of("audio0");
        // This file's Opus track has 26 samples, two of them stamped 21120/48000 by ffmpeg (none at 20160): the
        // running sample clock puts every one where the previous ended.
        assertEquals(26, audio.size());
        for (int i = 0; i < audio.size(); i++) {
            assertTrue(audio.get(i).newGroup(), "audio frame " + i + " starts its own group (one per fragment)");
            assertEquals(i * 20_000L, audio.get(i).timestampMicros());
        }
        assertEquals(0, emptyFrames(c));
    }

    @Test
    void aLoopContinuesTheTimelineWithTheSameTracksAndOneCatalog() throws Exception {
        byte[] file = Fixtures.bytes(Fixtures.AAC);
        Fixtures.Collector c = new Fixtures.Collector();
        HangImporter importer = new HangImporter(c);
        for (int loop = 0; loop < 2; loop++) {
            importer.offsetMicros(importer.endMicros());
            new Fmp4Demuxer(new Mp4BoxReader(new ByteArrayInputStream(file)), importer).run();
        }
        assertEquals(1, c.catalogs.size());
        List<Long> video = c.of("video0").stream().map(Fixtures.Frame::timestampMicros).toList();
        assertEquals(10, video.size());
        for (int i = 1; i < video.size(); i++) {
            assertTrue(video.get(i) > video.get(i - 1), "video timestamps advance across the loop: " + video);
        }
        List<Long> audio = c.of("audio0").stream().map(Fixtures.Frame::timestampMicros).toList();
        for (int i = 1; i < audio.size(); i++) {
            assertTrue(audio.get(i) > audio.get(i - 1), "audio timestamps advance across the loop: " + audio);
        }
        assertEquals(importer.frames(), c.frames.size());
    }

    private static long emptyFrames(Fixtures.Collector c) {
        return c.frames.stream().filter(f -> f.payload().length == 0).count();
    }

    @Test
    void theAudioClockSmoothsFfmpegsJitteredTimesAndKeepsRealGaps() {
        HangImporter.AudioClock clock = new HangImporter.AudioClock();
        // tfdt and duration of AAC fragments as ffmpeg 5.1 writes them when copying with frag_every_frame
        long[][] in = {{0, 1024}, {1024, 1024}, {3072, 0}, {3072, 1024}, {5120, 0}, {6144, 1024}, {6144, 0}, {7168, 1024}};
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clock.time(in[i][0], in[i][1]);
        }
        assertEquals(List.of(0L, 1024L, 2048L, 3072L, 4096L, 5120L, 6144L, 7168L), java.util.Arrays.stream(out).boxed().toList());
        // a real gap (ten frames missing) keeps its time, and the clock follows it
        assertEquals(18_432, clock.time(18_432, 1024));
        assertEquals(19_456, clock.time(19_456, 1024));
    }

    @Test
    void microsecondConversionIsExactForCommonTimescales() {
        assertEquals(1_000_000, HangImporter.micros(90_000, 90_000));
        assertEquals(20_000, HangImporter.micros(960, 48_000));
        assertEquals(33_333, HangImporter.micros(512, 15_360));
        assertEquals(21_333, HangImporter.micros(1024, 48_000));
        assertEquals(86_400_000_000L, HangImporter.micros(86_400L * 90_000, 90_000));
    }
}
