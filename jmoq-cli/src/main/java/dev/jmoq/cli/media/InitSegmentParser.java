package dev.jmoq.cli.media;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the tracks of a fragmented MP4's {@code moov} (ISO/IEC 14496-12 section 8.2 ff.): per trak the
 * track_ID (tkhd), timescale (mdhd), handler (hdlr) and the first sample entry of stsd, with the codec
 * configuration the hang catalog needs: {@code avc1}/{@code avc3} with avcC (ISO/IEC 14496-15 section 5.3.3),
 * {@code mp4a} with esds (ISO/IEC 14496-1 section 7.2.6; AudioSpecificConfig per 14496-3 section 1.6.2.1),
 * {@code Opus} with dOps (Opus in ISOBMFF, section 4.3.2). Defaults of fragments from mvex/trex.
 * Tracks of other handlers or codecs are returned in {@link Result#skipped} with the reason.
 */
public final class InitSegmentParser {
    /** The parsed tracks, and what was left out and why. */
    public record Result(List<MediaTrack> tracks, List<String> skipped) {
    }

    private InitSegmentParser() {
    }

    /** Parses a {@code moov} box. */
    public static Result parse(Mp4Box moov) {
        if (!moov.type().equals("moov")) {
            throw new Mp4Exception("expected moov, got " + moov.type());
        }
        Map<Integer, MediaTrack.SampleDefaults> trex = new HashMap<>();
        Mp4Box mvex = moov.child("mvex");
        if (mvex != null) {
            for (Mp4Box b : mvex.children()) {
                if (b.type().equals("trex")) {
                    ByteBuffer t = b.body().duplicate();
                    t.getInt(); // version + flags
                    int id = t.getInt();
                    t.getInt(); // default_sample_description_index
                    long duration = Integer.toUnsignedLong(t.getInt());
                    long size = Integer.toUnsignedLong(t.getInt());
                    int flags = t.getInt();
                    trex.put(id, new MediaTrack.SampleDefaults(duration, size, flags));
                }
            }
        }
        List<MediaTrack> tracks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (Mp4Box trak : moov.children()) {
            if (!trak.type().equals("trak")) {
                continue;
            }
            int id = trackId(required(trak.child("tkhd"), "tkhd", -1));
            if (!ids.add(id)) {
                throw new Mp4Exception("duplicate track_ID " + id);
            }
            Mp4Box mdia = required(trak.child("mdia"), "mdia", id);
            long timescale = timescale(required(mdia.child("mdhd"), "mdhd", id));
            String handler = handler(required(mdia.child("hdlr"), "hdlr", id));
            Mp4Box stsd = required(mdia.path("minf", "stbl", "stsd"), "stsd", id);
            List<Mp4Box> entries = Mp4Box.children(stsd.body(), 8);
            if (entries.isEmpty()) {
                throw new Mp4Exception("track " + id + ": stsd has no sample entry");
            }
            Mp4Box entry = entries.getFirst();
            MediaTrack.SampleDefaults d = trex.getOrDefault(id, MediaTrack.SampleDefaults.NONE);
            MediaTrack t = switch (handler) {
                case "vide" -> video(id, timescale, entry, d);
                case "soun" -> audio(id, timescale, entry, d);
                default -> null;
            };
            if (t == null) {
                skipped.add("track " + id + " handler=" + handler + " entry=" + entry.type() + ": not supported");
            } else {
                tracks.add(t);
            }
        }
        return new Result(List.copyOf(tracks), List.copyOf(skipped));
    }

    private static Mp4Box required(Mp4Box b, String type, int id) {
        if (b == null) {
            throw new Mp4Exception("track " + id + ": missing " + type);
        }
        return b;
    }

    private static int trackId(Mp4Box tkhd) {
        ByteBuffer b = tkhd.body().duplicate();
        int version = b.get() & 0xFF;
        b.position(4 + (version == 1 ? 16 : 8));
        return b.getInt();
    }

    private static long timescale(Mp4Box mdhd) {
        ByteBuffer b = mdhd.body().duplicate();
        int version = b.get() & 0xFF;
        b.position(4 + (version == 1 ? 16 : 8));
        return Integer.toUnsignedLong(b.getInt());
    }

    private static String handler(Mp4Box hdlr) {
        ByteBuffer b = hdlr.body().duplicate();
        b.position(8); // version/flags, pre_defined
        return Mp4Box.fourcc(b.getInt());
    }

    // VisualSampleEntry: 8 bytes SampleEntry, 16 pre_defined/reserved, width, height, then 50 more bytes (ISO/IEC 14496-12 section 12.1.3).
    private static final int VISUAL_ENTRY_FIXED = 78;
    // AudioSampleEntry: 8 bytes SampleEntry, 8 reserved, channelcount, samplesize, 4 reserved, samplerate 16.16 (section 12.2.3).
    private static final int AUDIO_ENTRY_FIXED = 28;

    private static MediaTrack video(int id, long timescale, Mp4Box entry, MediaTrack.SampleDefaults d) {
        if (!entry.type().equals("avc1") && !entry.type().equals("avc3")) {
            return null;
        }
        ByteBuffer b = entry.body().duplicate();
        int width = b.getShort(24) & 0xFFFF;
        int height = b.getShort(26) & 0xFFFF;
        Mp4Box avcC = Mp4Box.first(Mp4Box.children(entry.body(), VISUAL_ENTRY_FIXED), "avcC");
        if (avcC == null) {
            throw new Mp4Exception("track " + id + ": " + entry.type() + " without avcC");
        }
        byte[] description = bytes(avcC.body());
        return new MediaTrack(id, MediaKind.VIDEO, timescale, AvcConfig.codecString(description), description, width, height, 0, 0, d);
    }

    private static MediaTrack audio(int id, long timescale, Mp4Box entry, MediaTrack.SampleDefaults d) {
        ByteBuffer b = entry.body().duplicate();
        int channels = b.getShort(16) & 0xFFFF;
        int sampleRate = (int) (Integer.toUnsignedLong(b.getInt(24)) >>> 16);
        List<Mp4Box> boxes = Mp4Box.children(entry.body(), AUDIO_ENTRY_FIXED);
        return switch (entry.type()) {
            case "Opus" -> {
                Mp4Box dOps = Mp4Box.first(boxes, "dOps");
                if (dOps == null) {
                    throw new Mp4Exception("track " + id + ": Opus without dOps");
                }
                int outputChannels = dOps.body().get(1) & 0xFF;
                // Opus always decodes at 48 kHz (RFC 7845 section 5.1); the entry's rate is informational.
                yield new MediaTrack(id, MediaKind.AUDIO, timescale, "opus", null, 0, 0, 48_000, outputChannels, d);
            }
            case "mp4a" -> {
                Mp4Box esds = Mp4Box.first(boxes, "esds");
                if (esds == null) {
                    throw new Mp4Exception("track " + id + ": mp4a without esds");
                }
                byte[] asc = Esds.audioSpecificConfig(esds.body());
                AacConfig aac = AacConfig.parse(asc);
                yield new MediaTrack(id, MediaKind.AUDIO, timescale, "mp4a.40." + aac.objectType(), asc, 0, 0,
                        aac.sampleRate() > 0 ? aac.sampleRate() : sampleRate, aac.channels() > 0 ? aac.channels() : channels, d);
            }
            default -> null;
        };
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static String hex(byte b) {
        return String.format(Locale.ROOT, "%02x", b & 0xFF);
    }
}
