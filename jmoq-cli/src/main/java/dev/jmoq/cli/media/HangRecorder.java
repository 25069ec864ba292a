package dev.jmoq.cli.media;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Writes a hang broadcast (legacy container) as one fragmented MP4 with a track per rendition.
 *
 * <p>Order: groups travel on separate streams, so a later group's frames can arrive before an earlier
 * group's last ones. Each track's frames are therefore held in (group sequence, frame index) order, which is
 * decode order even with B-frames, and released once they are {@link #REORDER_MICROS} older than the
 * track's newest frame (or {@link #MAX_HELD_PER_TRACK} are held); a frame arriving after a later one was
 * released is dropped.
 *
 * <p>Start: the init segment needs every track's decoder config, and a browser's H.264 has none in the
 * catalog (Annex B with in-band SPS/PPS), so nothing is written until every track holds a usable first frame
 * (video: a keyframe, carrying SPS and PPS when the catalog has no description) or {@link #start} is called
 * (the caller's deadline); tracks still unusable then are left out. The file's time zero is the earliest
 * usable timestamp held when the first frame is released; older frames are dropped. Annex B video is rewritten length-prefixed. Renditions in
 * another container or of other codecs are left out. Not thread-safe: one writer thread.
 */
public final class HangRecorder {
    private static final Logger LOG = Logger.getLogger(HangRecorder.class.getName());

    /** How far behind a track's newest frame a held frame is released, in microseconds. */
    public static final long REORDER_MICROS = 300_000;
    /** Frames held per track at most. */
    public static final int MAX_HELD_PER_TRACK = 512;

    private record Key(long sequence, long index) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(sequence, o.sequence);
            return c != 0 ? c : Long.compare(index, o.index);
        }
    }

    private record Held(long pts, boolean keyframe, byte[] data) {
    }

    private static final class TrackState {
        final Rendition rendition;
        final int id;
        final TreeMap<Key, Held> held = new TreeMap<>();
        byte[] config;
        boolean annexB;
        boolean written;
        boolean started;
        Key released;
        long newest = Long.MIN_VALUE;

        TrackState(Rendition rendition, int id) {
            this.rendition = rendition;
            this.id = id;
        }

        /** The timestamp of the first frame this track can start with, or -1. */
        long firstUsable() {
            for (Held h : held.values()) {
                if (h.keyframe) {
                    return h.pts;
                }
            }
            return -1;
        }
    }

    private final OutputStream out;
    private final Map<String, TrackState> tracks = new LinkedHashMap<>();
    private Fmp4Muxer muxer;
    private long origin = -1;
    private long dropped;

    public HangRecorder(OutputStream out) {
        this.out = out;
    }

    /**
     * The catalog's renditions; the ones this recorder writes get MP4 track ids 1..n. Returns their track names
     * (the ones to subscribe). Call once.
     */
    public List<String> tracks(List<Rendition> renditions) {
        if (!tracks.isEmpty()) {
            throw new IllegalStateException("tracks already set");
        }
        int id = 1;
        for (Rendition r : renditions) {
            String why = unsupported(r);
            if (why != null) {
                LOG.warning("event=rendition_skipped track=" + r.track() + " reason=\"" + why + "\"");
                continue;
            }
            TrackState t = new TrackState(r, id++);
            if (r.kind() == MediaKind.VIDEO) {
                t.config = r.description();
                t.annexB = r.description() == null;
            } else if (r.codec().startsWith("mp4a")) {
                t.config = r.description() != null ? r.description() : AacConfig.lowComplexity(r.sampleRate(), r.channels());
            }
            tracks.put(r.track(), t);
        }
        return List.copyOf(tracks.keySet());
    }

    private static String unsupported(Rendition r) {
        if (!r.container().equals("legacy")) {
            return "container " + r.container() + " (legacy is supported)";
        }
        if (r.kind() == MediaKind.VIDEO && !r.codec().startsWith("avc1") && !r.codec().startsWith("avc3")) {
            return "video codec " + r.codec() + " (H.264 is supported)";
        }
        if (r.kind() == MediaKind.AUDIO && !r.codec().equals("opus") && !r.codec().startsWith("mp4a.40.")) {
            return "audio codec " + r.codec() + " (Opus and AAC are supported)";
        }
        if (r.kind() == MediaKind.VIDEO && r.description() != null
                && (r.description().length < 5 || AvcConfig.lengthSize(r.description()) != 4)) {
            return "avcC with a NAL length size other than 4";
        }
        if (r.kind() == MediaKind.AUDIO && r.codec().equals("opus") && (r.channels() < 1 || r.channels() > 2)) {
            return "Opus with " + r.channels() + " channels";
        }
        return null;
    }

    /** Whether the init segment has been written. */
    public boolean started() {
        return muxer != null;
    }

    /** Frames dropped: older than the file's start, or video before a usable keyframe. */
    public long dropped() {
        return dropped;
    }

    /** Samples written. */
    public long samples() {
        return muxer == null ? 0 : muxer.samples();
    }

    /** Bytes written. */
    public long bytes() {
        return muxer == null ? 0 : muxer.bytes();
    }

    /**
     * Frame {@code index} of group {@code sequence} of {@code track}, a legacy frame's timestamp and payload
     * (copied by the caller). Unknown tracks and empty payloads (markers) are ignored.
     */
    public void frame(String track, long sequence, long index, long pts, byte[] payload) throws IOException {
        TrackState t = tracks.get(track);
        if (t == null || payload.length == 0) {
            return;
        }
        Key key = new Key(sequence, index);
        if (t.released != null && key.compareTo(t.released) <= 0) {
            dropped++;
            return;
        }
        boolean keyframe = true;
        byte[] data = payload;
        if (t.rendition.kind() == MediaKind.VIDEO) {
            if (t.annexB) {
                List<byte[]> nals = AvcConfig.splitAnnexB(payload);
                keyframe = nals.stream().anyMatch(n -> AvcConfig.nalType(n) == AvcConfig.NAL_IDR);
                if (t.config == null && keyframe) {
                    t.config = parameterSets(nals);
                }
                if (t.config == null) {
                    dropped++;
                    return;
                }
                data = AvcConfig.annexBToLengthPrefixed(payload);
            } else {
                keyframe = hasIdr(payload);
            }
        }
        t.held.put(key, new Held(pts, keyframe, data));
        t.newest = Math.max(t.newest, pts);
        if (muxer == null) {
            if (tracks.values().stream().allMatch(s -> s.firstUsable() >= 0)
                    || tracks.values().stream().anyMatch(s -> s.held.size() >= MAX_HELD_PER_TRACK)) {
                start();
            }
            return;
        }
        release(t, false);
    }

    private static byte[] parameterSets(List<byte[]> nals) {
        byte[] sps = null;
        byte[] pps = null;
        for (byte[] n : nals) {
            if (AvcConfig.nalType(n) == AvcConfig.NAL_SPS && sps == null) {
                sps = n;
            } else if (AvcConfig.nalType(n) == AvcConfig.NAL_PPS && pps == null) {
                pps = n;
            }
        }
        return sps == null || pps == null ? null : AvcConfig.fromParameterSets(sps, pps);
    }

    /** Writes the init segment now, with the tracks usable so far (the caller's deadline passed). No-op once started. */
    public void start() throws IOException {
        if (muxer != null) {
            return;
        }
        List<Fmp4Muxer.Track> list = new ArrayList<>();
        for (TrackState t : tracks.values()) {
            long usable = t.firstUsable();
            if (usable < 0) {
                LOG.warning("event=rendition_left_out track=" + t.rendition.track() + " reason=\"no usable frame before the start\"");
                continue;
            }
            t.written = true;
            Rendition r = t.rendition;
            long defaultDuration = r.kind() == MediaKind.VIDEO
                    ? (r.framerate() > 0 ? Math.round(1_000_000 / r.framerate()) : 33_333)
                    : (r.jitter() > 0 ? r.jitter() * 1000 : 20_000);
            list.add(new Fmp4Muxer.Track(t.id, r.kind(), r.codec(), t.config, r.codedWidth(), r.codedHeight(), r.sampleRate(),
                    r.channels(), defaultDuration));
        }
        if (list.isEmpty()) {
            throw new Mp4Exception("no track of the broadcast can be written to MP4");
        }
        muxer = new Fmp4Muxer(out, list);
        muxer.writeInit();
        for (TrackState t : tracks.values()) {
            release(t, false);
        }
        out.flush();
    }

    /** Writes everything held and pending, and flushes. */
    public void finish() throws IOException {
        if (muxer == null && tracks.values().stream().anyMatch(t -> t.firstUsable() >= 0)) {
            start();
        }
        if (muxer != null) {
            for (TrackState t : tracks.values()) {
                release(t, true);
            }
            muxer.finish();
        }
        out.flush();
    }

    private void release(TrackState t, boolean all) throws IOException {
        while (!t.held.isEmpty()) {
            Map.Entry<Key, Held> head = t.held.firstEntry();
            if (!all && t.newest - head.getValue().pts() < REORDER_MICROS && t.held.size() < MAX_HELD_PER_TRACK) {
                return;
            }
            if (origin < 0) {
                // Time zero is fixed at the first release, so a late group that arrived within the reorder
                // window still counts.
                origin = tracks.values().stream().filter(s -> s.written).mapToLong(TrackState::firstUsable).filter(v -> v >= 0)
                        .min().orElse(0);
            }
            t.held.pollFirstEntry();
            t.released = head.getKey();
            Held h = head.getValue();
            if (!t.written || h.pts() < origin || !t.started && !h.keyframe()) {
                dropped++;
                continue;
            }
            t.started = true;
            muxer.writeSample(t.id, h.pts() - origin, h.keyframe(), h.data());
        }
    }

    /** Whether a length-prefixed (4-byte) access unit holds an IDR slice. */
    static boolean hasIdr(byte[] au) {
        int i = 0;
        while (i + 4 < au.length) {
            int len = (au[i] & 0xFF) << 24 | (au[i + 1] & 0xFF) << 16 | (au[i + 2] & 0xFF) << 8 | au[i + 3] & 0xFF;
            if ((au[i + 4] & 0x1F) == AvcConfig.NAL_IDR) {
                return true;
            }
            if (len <= 0 || len > au.length - i - 4) {
                return false;
            }
            i += 4 + len;
        }
        return false;
    }
}
