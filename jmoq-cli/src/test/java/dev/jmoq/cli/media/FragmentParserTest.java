package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FragmentParserTest {
    private static final MediaTrack VIDEO = new MediaTrack(1, MediaKind.VIDEO, 90_000, "avc1.42c00a", new byte[] {1, 0x42, 0, 10, -1},
            64, 48, 0, 0, new MediaTrack.SampleDefaults(3000, 0, 0x01010000));
    private static final MediaTrack AUDIO = new MediaTrack(2, MediaKind.AUDIO, 48_000, "opus", null, 0, 0, 48_000, 1,
            MediaTrack.SampleDefaults.NONE);

    /**
     * A moof with a video traf (default-base-is-moof, two samples: a keyframe with a composition offset, then
     * a delta using the trex defaults) and an audio traf with an explicit base_data_offset, then its mdat.
     */
    private static byte[] fragment(long mdatExtra) {
        byte[] v0 = {10, 11, 12};
        byte[] v1 = {20, 21};
        byte[] a0 = {30, 31, 32, 33};
        BoxWriter w = new BoxWriter();
        int moof = w.begin("moof");
        int mfhd = w.beginFull("mfhd", 0, 0);
        w.u32(1);
        w.end(mfhd);
        int traf = w.begin("traf");
        int tfhd = w.beginFull("tfhd", 0, 0x020000);
        w.u32(1);
        w.end(tfhd);
        int tfdt = w.beginFull("tfdt", 1, 0);
        w.u64(90_000);
        w.end(tfdt);
        int trun = w.beginFull("trun", 1, 0x1 | 0x4 | 0x200 | 0x800);
        w.u32(2);
        int videoOffsetAt = w.size();
        w.u32(0).u32(0x02000000).u32(v0.length).u32(6000).u32(v1.length).u32(-3000);
        w.end(trun);
        w.end(traf);
        int traf2 = w.begin("traf");
        int tfhd2 = w.beginFull("tfhd", 0, 0x1 | 0x8);
        w.u32(2);
        int baseAt = w.size();
        w.u64(0).u32(960);
        w.end(tfhd2);
        int tfdt2 = w.beginFull("tfdt", 0, 0);
        w.u32(48_000);
        w.end(tfdt2);
        int trun2 = w.beginFull("trun", 0, 0x200);
        w.u32(1).u32(a0.length);
        w.end(trun2);
        w.end(traf2);
        w.end(moof);
        int moofSize = w.size();
        w.patch32(videoOffsetAt, moofSize + 8);
        // base_data_offset is absolute: the stream offset of the audio bytes (this fragment starts at 0).
        long audioAt = moofSize + 8L + v0.length + v1.length;
        w.patch32(baseAt, audioAt >>> 32);
        w.patch32(baseAt + 4, audioAt);
        w.u32(8 + v0.length + v1.length + a0.length + mdatExtra).fourcc("mdat").bytes(v0).bytes(v1).bytes(a0).zeros((int) mdatExtra);
        return w.toByteArray();
    }

    private static List<Sample> parse(byte[] bytes, Map<Integer, MediaTrack> tracks) throws Exception {
        Mp4BoxReader r = new Mp4BoxReader(new ByteArrayInputStream(bytes));
        return FragmentParser.parse(r.next(), r.next(), tracks);
    }

    private static byte[] data(Sample s) {
        byte[] b = new byte[s.data().remaining()];
        s.data().duplicate().get(b);
        return b;
    }

    @Test
    void resolvesOffsetsDefaultsAndCompositionTimes() throws Exception {
        List<Sample> s = parse(fragment(0), Map.of(1, VIDEO, 2, AUDIO));
        assertEquals(3, s.size());
        assertEquals(new Sample(1, 90_000, 96_000, 3000, true, s.get(0).data()), s.get(0));
        assertArrayEquals(new byte[] {10, 11, 12}, data(s.get(0)));
        // trex default duration 3000, default flags non-sync, negative composition offset (trun version 1)
        assertEquals(93_000, s.get(1).decodeTime());
        assertEquals(90_000, s.get(1).presentationTime());
        assertFalse(s.get(1).keyframe());
        assertArrayEquals(new byte[] {20, 21}, data(s.get(1)));
        // audio: base_data_offset, tfhd default duration, every sample a keyframe
        assertEquals(new Sample(2, 48_000, 48_000, 960, true, s.get(2).data()), s.get(2));
        assertArrayEquals(new byte[] {30, 31, 32, 33}, data(s.get(2)));
    }

    @Test
    void skipsTracksItDoesNotKnow() throws Exception {
        List<Sample> s = parse(fragment(0), Map.of(2, AUDIO));
        assertEquals(1, s.size());
        assertEquals(2, s.getFirst().trackId());
    }

    @Test
    void aSampleOutsideTheMdatIsRefused() throws Exception {
        byte[] f = fragment(0);
        // Shrink the mdat by one byte (and drop the last byte): the audio sample no longer fits.
        byte[] cut = java.util.Arrays.copyOf(f, f.length - 1);
        int mdatAt = cut.length - (8 + 3 + 2 + 4) + 1;
        int size = ((cut[mdatAt] & 0xFF) << 24 | (cut[mdatAt + 1] & 0xFF) << 16 | (cut[mdatAt + 2] & 0xFF) << 8 | cut[mdatAt + 3] & 0xFF) - 1;
        cut[mdatAt + 3] = (byte) size;
        Mp4Exception e = assertThrows(Mp4Exception.class, () -> parse(cut, Map.of(1, VIDEO, 2, AUDIO)));
        assertTrue(e.getMessage().contains("outside the mdat"), e.getMessage());
    }

    @Test
    void syncFlags() {
        assertTrue(FragmentParser.isSync(0x02000000));
        assertFalse(FragmentParser.isSync(0x01010000));
        assertFalse(FragmentParser.isSync(0x00010000));
        assertTrue(FragmentParser.isSync(0));
    }

    @Test
    void theDemuxerRefusesFragmentsBeforeTheMoov() {
        Fmp4Demuxer d = new Fmp4Demuxer(new Mp4BoxReader(new ByteArrayInputStream(fragment(0))),
                new HangImporter(new Fixtures.Collector()));
        assertThrows(Mp4Exception.class, d::run);
    }
}
