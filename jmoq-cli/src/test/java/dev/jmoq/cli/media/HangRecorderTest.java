package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HangRecorderTest {
    /** What a demuxer reads back from the recorder's output. */
    private static final class Readback implements Fmp4Demuxer.Listener {
        List<MediaTrack> tracks;
        final List<Sample> samples = new ArrayList<>();

        @Override
        public void onTracks(List<MediaTrack> t, List<String> skipped) {
            tracks = t;
            assertEquals(List.of(), skipped);
        }

        @Override
        public void onFragment(List<Sample> s) {
            samples.addAll(s);
        }

        List<Sample> of(int trackId) {
            return samples.stream().filter(s -> s.trackId() == trackId).toList();
        }
    }

    private static Readback readBack(byte[] mp4) throws IOException {
        Readback r = new Readback();
        new Fmp4Demuxer(new Mp4BoxReader(new ByteArrayInputStream(mp4)), r).run();
        return r;
    }

    private static byte[] bytes(Sample s) {
        byte[] b = new byte[s.data().remaining()];
        s.data().duplicate().get(b);
        return b;
    }

    /** Feeds an import's frames to a recorder, numbering groups as the publisher would. */
    private static byte[] record(Fixtures.Collector c, List<Rendition> renditions) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HangRecorder rec = new HangRecorder(out);
        assertEquals(renditions.stream().map(Rendition::track).toList(), rec.tracks(renditions));
        Fixtures.replay(c, rec);
        return out.toByteArray();
    }

    @Test
    void anImportedBroadcastComesBackAsTheSameTracksAndSamples() throws Exception {
        for (String fixture : List.of(Fixtures.OPUS, Fixtures.AAC)) {
            Fixtures.Collector c = Fixtures.importAll(Fixtures.bytes(fixture));
            List<Rendition> renditions = HangCatalog.renditions(HangCatalog.parse(c.catalogs.getFirst()));
            Readback r = readBack(record(c, renditions));

            assertEquals(2, r.tracks.size(), fixture);
            MediaTrack v = r.tracks.get(0);
            assertEquals("avc1.42c00a", v.codec());
            assertEquals(64, v.width());
            assertEquals(48, v.height());
            assertArrayEquals(renditions.get(0).description(), v.description());
            MediaTrack a = r.tracks.get(1);
            assertEquals(renditions.get(1).codec(), a.codec());
            assertEquals(48_000, a.sampleRate());
            assertEquals(1, a.channels());
            assertArrayEquals(renditions.get(1).description(), a.description());

            List<Fixtures.Frame> sent = c.of("video0");
            List<Sample> got = r.of(1);
            assertEquals(sent.size(), got.size(), fixture);
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(sent.get(i).payload(), bytes(got.get(i)));
                assertEquals(sent.get(i).timestampMicros(), got.get(i).presentationTime());
                assertEquals(i == 0, got.get(i).keyframe());
            }
            List<Fixtures.Frame> sentAudio = c.of("audio0");
            List<Sample> gotAudio = r.of(2);
            assertEquals(sentAudio.size(), gotAudio.size(), fixture);
            for (int i = 0; i < gotAudio.size(); i++) {
                assertArrayEquals(sentAudio.get(i).payload(), bytes(gotAudio.get(i)));
                assertEquals(sentAudio.get(i).timestampMicros(), gotAudio.get(i).presentationTime());
                if (i + 1 < gotAudio.size()) {
                    assertEquals(gotAudio.get(i + 1).decodeTime() - gotAudio.get(i).decodeTime(), gotAudio.get(i).duration());
                }
            }
        }
    }

    @Test
    void groupsArrivingOutOfOrderAreWrittenInGroupOrder() throws Exception {
        Fixtures.Collector c = Fixtures.importAll(Fixtures.bytes(Fixtures.OPUS));
        List<Rendition> renditions = HangCatalog.renditions(HangCatalog.parse(c.catalogs.getFirst()));
        List<Fixtures.Frame> audio = c.of("audio0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HangRecorder rec = new HangRecorder(out);
        rec.tracks(List.of(renditions.get(1)));
        // Swap every pair of audio groups (one frame each), as streams overtaking each other deliver them.
        for (int i = 0; i + 1 < audio.size(); i += 2) {
            rec.frame("audio0", i + 1, 0, audio.get(i + 1).timestampMicros(), audio.get(i + 1).payload());
            rec.frame("audio0", i, 0, audio.get(i).timestampMicros(), audio.get(i).payload());
        }
        rec.finish();
        List<Sample> got = readBack(out.toByteArray()).of(1);
        // Every late group arrived within the reorder window: all are kept, in order.
        assertEquals(audio.size() / 2 * 2, got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(audio.get(i).timestampMicros(), got.get(i).presentationTime());
        }
        assertEquals(0, rec.dropped());
    }

    @Test
    void aFrameLaterThanTheReorderWindowIsDropped() throws Exception {
        Rendition audio = new Rendition("a", MediaKind.AUDIO, "opus", "legacy", null, 0, 0, 0, 48_000, 2, 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HangRecorder rec = new HangRecorder(out);
        rec.tracks(List.of(audio));
        rec.frame("a", 1, 0, 20_000, new byte[] {1});
        for (int g = 2; g < 30; g++) {
            rec.frame("a", g, 0, g * 20_000L, new byte[] {(byte) g});
        }
        rec.frame("a", 0, 0, 0, new byte[] {0}); // 560 ms late: group 1 was written long ago
        rec.finish();
        assertEquals(1, rec.dropped());
        assertEquals(29, readBack(out.toByteArray()).of(1).size());
    }

    @Test
    void annexBVideoWithoutADescriptionGetsItsConfigFromTheFirstKeyframe() throws Exception {
        Fixtures.Collector c = Fixtures.importAll(Fixtures.bytes(Fixtures.OPUS));
        Rendition mp4 = HangCatalog.renditions(HangCatalog.parse(c.catalogs.getFirst())).getFirst();
        byte[] avcC = mp4.description();
        // Rebuild what a browser encoder in "annexb" mode sends: start codes, SPS and PPS before each keyframe.
        byte[] sps = parameterSet(avcC, 0);
        byte[] pps = parameterSet(avcC, 1);
        Rendition browser = new Rendition("video", MediaKind.VIDEO, mp4.codec(), "legacy", null, 64, 48, 10, 0, 0, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HangRecorder rec = new HangRecorder(out);
        rec.tracks(List.of(browser));
        List<Fixtures.Frame> video = c.of("video0");
        for (int i = 0; i < video.size(); i++) {
            byte[] au = toAnnexB(video.get(i).payload(), i == 0 ? List.of(sps, pps) : List.of());
            assertTrue(AvcConfig.isAnnexB(au));
            rec.frame("video", 0, i, video.get(i).timestampMicros(), au);
        }
        rec.finish();
        Readback r = readBack(out.toByteArray());
        assertEquals(mp4.codec(), r.tracks.getFirst().codec());
        List<Sample> got = r.of(1);
        assertEquals(video.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            byte[] expected = i == 0 ? concat(lengthPrefixed(sps), lengthPrefixed(pps), video.get(i).payload()) : video.get(i).payload();
            assertArrayEquals(expected, bytes(got.get(i)), "frame " + i);
        }
        assertTrue(got.getFirst().keyframe());
        assertFalse(got.get(1).keyframe());
        // The rebuilt avcC names the same profile and level, and carries the same parameter sets.
        byte[] rebuilt = r.tracks.getFirst().description();
        assertArrayEquals(sps, parameterSet(rebuilt, 0));
        assertArrayEquals(pps, parameterSet(rebuilt, 1));
    }

    @Test
    void videoBeforeItsFirstKeyframeIsDroppedAndUnsupportedRenditionsAreLeftOut() throws Exception {
        Fixtures.Collector c = Fixtures.importAll(Fixtures.bytes(Fixtures.OPUS));
        Rendition v = HangCatalog.renditions(HangCatalog.parse(c.catalogs.getFirst())).getFirst();
        Rendition vp8 = new Rendition("vp8", MediaKind.VIDEO, "vp8", "legacy", null, 64, 48, 0, 0, 0, 0);
        Rendition cmaf = new Rendition("cmaf", MediaKind.AUDIO, "opus", "cmaf", null, 0, 0, 0, 48_000, 1, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HangRecorder rec = new HangRecorder(out);
        assertEquals(List.of("video0"), rec.tracks(List.of(vp8, v, cmaf)));
        List<Fixtures.Frame> video = c.of("video0");
        rec.frame("video0", 0, 3, video.get(3).timestampMicros(), video.get(3).payload());
        rec.frame("video0", 1, 0, 500_000, video.get(0).payload());
        rec.frame("video0", 1, 1, 600_000, video.get(1).payload());
        rec.finish();
        List<Sample> got = readBack(out.toByteArray()).of(1);
        assertEquals(2, got.size());
        assertEquals(0, got.getFirst().presentationTime());
        assertEquals(100_000, got.get(1).presentationTime());
        assertEquals(1, rec.dropped());
    }

    private static byte[] parameterSet(byte[] avcC, int which) {
        ByteBuffer b = ByteBuffer.wrap(avcC);
        b.position(5);
        int nSps = b.get() & 0x1F;
        byte[] sps = new byte[b.getShort() & 0xFFFF];
        b.get(sps);
        for (int i = 1; i < nSps; i++) {
            b.position(b.position() + (b.getShort() & 0xFFFF));
        }
        b.get();
        byte[] pps = new byte[b.getShort() & 0xFFFF];
        b.get(pps);
        return which == 0 ? sps : pps;
    }

    private static byte[] toAnnexB(byte[] lengthPrefixed, List<byte[]> prefix) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] n : prefix) {
            o.writeBytes(new byte[] {0, 0, 0, 1});
            o.writeBytes(n);
        }
        ByteBuffer b = ByteBuffer.wrap(lengthPrefixed);
        while (b.remaining() > 4) {
            byte[] nal = new byte[b.getInt()];
            b.get(nal);
            o.writeBytes(new byte[] {0, 0, 0, 1});
            o.writeBytes(nal);
        }
        return o.toByteArray();
    }

    private static byte[] lengthPrefixed(byte[] nal) {
        return ByteBuffer.allocate(4 + nal.length).putInt(nal.length).put(nal).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
