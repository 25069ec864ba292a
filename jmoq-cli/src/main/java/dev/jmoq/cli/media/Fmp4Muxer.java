package dev.jmoq.cli.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a fragmented MP4 (ISO/IEC 14496-12; CMAF-style: one moof+mdat per sample) of several tracks:
 * {@link #writeInit} writes ftyp and a moov with one trak per track (sample entries avc1+avcC, mp4a+esds,
 * Opus+dOps), then {@link #writeSample} one fragment per sample. Times are in microseconds (every track's
 * timescale is 1 000 000). A sample's duration is the distance to the track's next sample, so each sample is
 * written when the next one arrives (or at {@link #finish}). Decode times advance by those durations; the
 * composition offset is the rest (zero without B-frames). Not thread-safe.
 */
public final class Fmp4Muxer {
    /** Every track's timescale: microseconds, the unit of hang timestamps. */
    public static final long TIMESCALE = 1_000_000L;

    private static final int SYNC_FLAGS = 0x02000000;      // sample_depends_on = 2 (I-frame)
    private static final int NON_SYNC_FLAGS = 0x01010000;  // sample_depends_on = 1, sample_is_non_sync_sample

    /**
     * A track to write.
     *
     * @param trackId     MP4 track_ID (1-based, unique)
     * @param kind        video or audio
     * @param codec       WebCodecs codec string ({@code avc1.*}, {@code mp4a.40.*}, {@code opus})
     * @param config      avcC body (H.264), AudioSpecificConfig (AAC), or null (Opus)
     * @param width       video pixels
     * @param height      video pixels
     * @param sampleRate  audio Hz
     * @param channels    audio channels (Opus: 1 or 2)
     * @param defaultDurationMicros duration of a last sample nobody followed
     */
    public record Track(int trackId, MediaKind kind, String codec, byte[] config, int width, int height, int sampleRate, int channels,
                        long defaultDurationMicros) {
    }

    private record Pending(long pts, boolean keyframe, byte[] data) {
    }

    private static final class State {
        final Track track;
        Pending pending;
        long dts = -1;
        long lastDuration;

        State(Track track) {
            this.track = track;
            this.lastDuration = track.defaultDurationMicros();
        }
    }

    private final OutputStream out;
    private final Map<Integer, State> states = new TreeMap<>();
    private long sequence;
    private long bytes;
    private long samples;

    public Fmp4Muxer(OutputStream out, List<Track> tracks) {
        this.out = out;
        for (Track t : tracks) {
            if (states.put(t.trackId(), new State(t)) != null) {
                throw new IllegalArgumentException("duplicate track id " + t.trackId());
            }
        }
    }

    /** Bytes written. */
    public long bytes() {
        return bytes;
    }

    /** Samples written. */
    public long samples() {
        return samples;
    }

    /** Writes ftyp and moov. */
    public void writeInit() throws IOException {
        BoxWriter w = new BoxWriter();
        int ftyp = w.begin("ftyp");
        w.fourcc("iso6").u32(0x200).fourcc("iso6").fourcc("isom").fourcc("cmfc").fourcc("mp41");
        if (states.values().stream().anyMatch(s -> s.track.kind() == MediaKind.VIDEO)) {
            w.fourcc("avc1");
        }
        w.end(ftyp);
        int moov = w.begin("moov");
        int mvhd = w.beginFull("mvhd", 0, 0);
        w.u32(0).u32(0).u32(1000).u32(0).u32(0x00010000).u16(0x0100).zeros(10);
        matrix(w);
        w.zeros(24).u32(states.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1L);
        w.end(mvhd);
        for (State s : states.values()) {
            trak(w, s.track);
        }
        int mvex = w.begin("mvex");
        for (State s : states.values()) {
            int trex = w.beginFull("trex", 0, 0);
            w.u32(s.track.trackId()).u32(1).u32(0).u32(0).u32(0);
            w.end(trex);
        }
        w.end(mvex);
        w.end(moov);
        write(w.toByteArray());
    }

    /**
     * Queues a sample of {@code trackId} and writes the track's previous one.
     *
     * @param ptsMicros presentation time, microseconds, not negative
     */
    public void writeSample(int trackId, long ptsMicros, boolean keyframe, byte[] data) throws IOException {
        State s = states.get(trackId);
        if (s == null) {
            throw new IllegalArgumentException("unknown track " + trackId);
        }
        if (s.pending != null) {
            long d = ptsMicros - s.pending.pts;
            flush(s, d > 0 ? d : s.lastDuration);
        }
        s.pending = new Pending(Math.max(0, ptsMicros), keyframe, data);
    }

    /** Writes every track's last sample with its last known duration, and flushes. */
    public void finish() throws IOException {
        for (State s : states.values()) {
            if (s.pending != null) {
                flush(s, s.lastDuration);
            }
        }
        out.flush();
    }

    private void flush(State s, long duration) throws IOException {
        Pending p = s.pending;
        s.pending = null;
        s.lastDuration = duration;
        if (s.dts < 0) {
            s.dts = p.pts;
        }
        BoxWriter w = new BoxWriter();
        int moof = w.begin("moof");
        int mfhd = w.beginFull("mfhd", 0, 0);
        w.u32(++sequence);
        w.end(mfhd);
        int traf = w.begin("traf");
        int tfhd = w.beginFull("tfhd", 0, 0x020000); // default-base-is-moof
        w.u32(s.track.trackId());
        w.end(tfhd);
        int tfdt = w.beginFull("tfdt", 1, 0);
        w.u64(s.dts);
        w.end(tfdt);
        int trun = w.beginFull("trun", 1, 0x1 | 0x100 | 0x200 | 0x400 | 0x800);
        w.u32(1);
        int dataOffsetAt = w.size();
        w.u32(0).u32(duration).u32(p.data.length).u32(p.keyframe ? SYNC_FLAGS : NON_SYNC_FLAGS).u32(p.pts - s.dts);
        w.end(trun);
        w.end(traf);
        w.end(moof);
        w.patch32(dataOffsetAt, w.size() + 8L);
        w.u32(8L + p.data.length).fourcc("mdat");
        write(w.toByteArray());
        write(p.data);
        s.dts += duration;
        samples++;
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        bytes += b.length;
    }

    private static void matrix(BoxWriter w) {
        w.u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    private static void trak(BoxWriter w, Track t) {
        boolean video = t.kind() == MediaKind.VIDEO;
        int trak = w.begin("trak");
        int tkhd = w.beginFull("tkhd", 0, 0x3); // enabled, in movie
        w.u32(0).u32(0).u32(t.trackId()).u32(0).u32(0).zeros(8).u16(0).u16(video ? 0 : 1).u16(video ? 0 : 0x0100).u16(0);
        matrix(w);
        w.u32(video ? (long) t.width() << 16 : 0).u32(video ? (long) t.height() << 16 : 0);
        w.end(tkhd);
        int mdia = w.begin("mdia");
        int mdhd = w.beginFull("mdhd", 0, 0);
        w.u32(0).u32(0).u32(TIMESCALE).u32(0).u16(0x55C4).u16(0); // language "und"
        w.end(mdhd);
        int hdlr = w.beginFull("hdlr", 0, 0);
        w.u32(0).fourcc(video ? "vide" : "soun").zeros(12).bytes((video ? "VideoHandler\0" : "SoundHandler\0").getBytes());
        w.end(hdlr);
        int minf = w.begin("minf");
        if (video) {
            int vmhd = w.beginFull("vmhd", 0, 1);
            w.zeros(8);
            w.end(vmhd);
        } else {
            int smhd = w.beginFull("smhd", 0, 0);
            w.zeros(4);
            w.end(smhd);
        }
        int dinf = w.begin("dinf");
        int dref = w.beginFull("dref", 0, 0);
        w.u32(1);
        int url = w.beginFull("url ", 0, 1);
        w.end(url);
        w.end(dref);
        w.end(dinf);
        int stbl = w.begin("stbl");
        int stsd = w.beginFull("stsd", 0, 0);
        w.u32(1);
        sampleEntry(w, t);
        w.end(stsd);
        for (String empty : new String[] {"stts", "stsc", "stco"}) {
            int b = w.beginFull(empty, 0, 0);
            w.u32(0);
            w.end(b);
        }
        int stsz = w.beginFull("stsz", 0, 0);
        w.u32(0).u32(0);
        w.end(stsz);
        w.end(stbl);
        w.end(minf);
        w.end(mdia);
        w.end(trak);
    }

    private static void sampleEntry(BoxWriter w, Track t) {
        if (t.codec().startsWith("avc1") || t.codec().startsWith("avc3")) {
            int avc1 = w.begin("avc1");
            w.zeros(6).u16(1).zeros(16).u16(t.width()).u16(t.height()).u32(0x00480000).u32(0x00480000).u32(0).u16(1).zeros(32)
                    .u16(0x0018).u16(0xFFFF);
            int avcC = w.begin("avcC");
            w.bytes(t.config());
            w.end(avcC);
            w.end(avc1);
        } else if (t.codec().startsWith("mp4a")) {
            int mp4a = audioEntry(w, "mp4a", t.channels(), t.sampleRate());
            int esds = w.begin("esds");
            w.bytes(Esds.forAudio(t.config(), t.trackId(), 0));
            w.end(esds);
            w.end(mp4a);
        } else if (t.codec().equals("opus")) {
            if (t.channels() < 1 || t.channels() > 2) {
                throw new Mp4Exception("Opus with " + t.channels() + " channels needs a channel mapping table: not supported");
            }
            int opus = audioEntry(w, "Opus", t.channels(), 48_000);
            int dOps = w.begin("dOps");
            // Version 0, OutputChannelCount, PreSkip (libopus' usual 312 at 48 kHz), InputSampleRate, OutputGain, family 0.
            w.u8(0).u8(t.channels()).u16(312).u32(t.sampleRate()).u16(0).u8(0);
            w.end(dOps);
            w.end(opus);
        } else {
            throw new Mp4Exception("codec " + t.codec() + " cannot be written to MP4 (H.264, AAC and Opus can)");
        }
    }

    private static int audioEntry(BoxWriter w, String type, int channels, int sampleRate) {
        int mark = w.begin(type);
        w.zeros(6).u16(1).zeros(8).u16(channels).u16(16).u16(0).u16(0).u32(sampleRate <= 0xFFFF ? (long) sampleRate << 16 : 0); // 16.16; rates above 65535 do not fit
        return mark;
    }

    /** The tracks in id order (for tests and logs). */
    public List<Track> tracks() {
        List<Track> out = new ArrayList<>();
        states.values().forEach(s -> out.add(s.track));
        return out;
    }

    /** Copies a read-only buffer's remaining bytes. */
    public static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
