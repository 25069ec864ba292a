package dev.jmoq.cli.media;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits one movie fragment ({@code moof} followed by its {@code mdat}) into samples, per ISO/IEC 14496-12
 * sections 8.8.7 (tfhd), 8.8.8 (trun), 8.8.12 (tfdt) and 8.8.3 (trex defaults). Data offsets are resolved
 * against base_data_offset, default-base-is-moof, or (neither) the moof for the first traf and the end of
 * the previous traf's data for the next, and every sample must lie inside the mdat that follows the moof.
 * Trafs of tracks not in the map are skipped.
 */
public final class FragmentParser {
    // tfhd flags
    private static final int BASE_DATA_OFFSET = 0x1;
    private static final int SAMPLE_DESCRIPTION_INDEX = 0x2;
    private static final int DEFAULT_DURATION = 0x8;
    private static final int DEFAULT_SIZE = 0x10;
    private static final int DEFAULT_FLAGS = 0x20;
    private static final int DEFAULT_BASE_IS_MOOF = 0x20000;
    // trun flags
    private static final int DATA_OFFSET = 0x1;
    private static final int FIRST_SAMPLE_FLAGS = 0x4;
    private static final int SAMPLE_DURATION = 0x100;
    private static final int SAMPLE_SIZE = 0x200;
    private static final int SAMPLE_FLAGS = 0x400;
    private static final int SAMPLE_CTO = 0x800;

    private FragmentParser() {
    }

    /** Whether sample flags mark a sync sample (depends_on == 2, or not non-sync when depends_on is unknown). */
    public static boolean isSync(int flags) {
        int dependsOn = flags >>> 24 & 0x3;
        boolean nonSync = (flags & 0x10000) != 0;
        return !nonSync && dependsOn != 1;
    }

    /** The samples of {@code moof} whose data is in {@code mdat}, in trun order, for the known tracks. */
    public static List<Sample> parse(Mp4Box moof, Mp4Box mdat, Map<Integer, MediaTrack> tracks) {
        if (!moof.type().equals("moof") || !mdat.type().equals("mdat")) {
            throw new Mp4Exception("expected moof then mdat, got " + moof.type() + " then " + mdat.type());
        }
        long mdatDataStart = mdat.offset() + mdat.headerSize();
        long mdatDataEnd = mdatDataStart + mdat.body().remaining();
        List<Sample> out = new ArrayList<>();
        long previousEnd = moof.offset();
        for (Mp4Box traf : moof.children()) {
            if (!traf.type().equals("traf")) {
                continue;
            }
            Mp4Box tfhdBox = traf.child("tfhd");
            if (tfhdBox == null) {
                throw new Mp4Exception("traf without tfhd at offset " + traf.offset());
            }
            ByteBuffer tfhd = tfhdBox.body().duplicate();
            int tfFlags = tfhd.getInt() & 0xFFFFFF;
            int trackId = tfhd.getInt();
            MediaTrack track = tracks.get(trackId);
            long base;
            if ((tfFlags & BASE_DATA_OFFSET) != 0) {
                base = tfhd.getLong();
            } else if ((tfFlags & DEFAULT_BASE_IS_MOOF) != 0) {
                base = moof.offset();
            } else {
                base = previousEnd;
            }
            if ((tfFlags & SAMPLE_DESCRIPTION_INDEX) != 0) {
                tfhd.getInt();
            }
            MediaTrack.SampleDefaults trex = track == null ? MediaTrack.SampleDefaults.NONE : track.defaults();
            long defDuration = (tfFlags & DEFAULT_DURATION) != 0 ? Integer.toUnsignedLong(tfhd.getInt()) : trex.duration();
            long defSize = (tfFlags & DEFAULT_SIZE) != 0 ? Integer.toUnsignedLong(tfhd.getInt()) : trex.size();
            int defFlags = (tfFlags & DEFAULT_FLAGS) != 0 ? tfhd.getInt() : trex.flags();
            Mp4Box tfdt = traf.child("tfdt");
            long dts = 0;
            if (tfdt != null) {
                ByteBuffer t = tfdt.body().duplicate();
                int version = t.get() & 0xFF;
                t.position(4);
                dts = version == 1 ? t.getLong() : Integer.toUnsignedLong(t.getInt());
            }
            long offset = base;
            for (Mp4Box trunBox : traf.children()) {
                if (!trunBox.type().equals("trun")) {
                    continue;
                }
                ByteBuffer trun = trunBox.body().duplicate();
                int vf = trun.getInt();
                int version = vf >>> 24;
                int flags = vf & 0xFFFFFF;
                long count = Integer.toUnsignedLong(trun.getInt());
                if ((flags & DATA_OFFSET) != 0) {
                    offset = base + trun.getInt();
                }
                int firstFlags = (flags & FIRST_SAMPLE_FLAGS) != 0 ? trun.getInt() : defFlags;
                if (count > mdat.body().remaining()) {
                    throw new Mp4Exception("trun of track " + trackId + " claims " + count + " samples for an mdat of "
                            + mdat.body().remaining() + " bytes");
                }
                int perSample = Integer.bitCount(flags & (SAMPLE_DURATION | SAMPLE_SIZE | SAMPLE_FLAGS | SAMPLE_CTO)) * 4;
                if (count * perSample > trun.remaining()) {
                    throw new Mp4Exception("trun of track " + trackId + " claims " + count + " samples, has room for "
                            + (perSample == 0 ? "any" : trun.remaining() / perSample));
                }
                for (long i = 0; i < count; i++) {
                    long duration = (flags & SAMPLE_DURATION) != 0 ? Integer.toUnsignedLong(trun.getInt()) : defDuration;
                    long size = (flags & SAMPLE_SIZE) != 0 ? Integer.toUnsignedLong(trun.getInt()) : defSize;
                    int sampleFlags = (flags & SAMPLE_FLAGS) != 0 ? trun.getInt() : i == 0 ? firstFlags : defFlags;
                    long cto = 0;
                    if ((flags & SAMPLE_CTO) != 0) {
                        int v = trun.getInt();
                        cto = version == 0 ? Integer.toUnsignedLong(v) : v;
                    }
                    if (offset < mdatDataStart || offset + size > mdatDataEnd) {
                        throw new Mp4Exception("sample of track " + trackId + " at offset " + offset + " size " + size
                                + " lies outside the mdat [" + mdatDataStart + ", " + mdatDataEnd + ")");
                    }
                    if (track != null) {
                        ByteBuffer data = mdat.body().duplicate();
                        data.position((int) (offset - mdatDataStart)).limit((int) (offset - mdatDataStart + size));
                        boolean key = track.kind() == MediaKind.AUDIO || isSync(sampleFlags);
                        out.add(new Sample(trackId, dts, dts + cto, duration, key, data.slice().asReadOnlyBuffer()));
                    }
                    offset += size;
                    dts += duration;
                }
            }
            previousEnd = offset;
        }
        return out;
    }
}
