package dev.jmoq.cli.media;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 helpers: the AVCDecoderConfigurationRecord ("avcC", ISO/IEC 14496-15 section 5.3.3.1), the
 * WebCodecs codec string derived from it ({@code avc1.PPCCLL}), and conversion of Annex B access units
 * (ITU-T H.264 Annex B start codes, what a browser encoder in "annexb" mode writes) to the 4-byte
 * length-prefixed form MP4 samples carry.
 */
public final class AvcConfig {
    /** NAL unit types (ITU-T H.264 table 7-1). */
    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;

    private AvcConfig() {
    }

    /** {@code avc1.PPCCLL} from an avcC body: profile, constraint flags, level (RFC 6381 section 3.3). */
    public static String codecString(byte[] avcC) {
        if (avcC.length < 4 || avcC[0] != 1) {
            throw new Mp4Exception("avcC: not a version 1 record (" + avcC.length + " bytes)");
        }
        return "avc1." + InitSegmentParser.hex(avcC[1]) + InitSegmentParser.hex(avcC[2]) + InitSegmentParser.hex(avcC[3]);
    }

    /** NAL length size in bytes (1, 2 or 4) declared by an avcC body. */
    public static int lengthSize(byte[] avcC) {
        return (avcC[4] & 0x3) + 1;
    }

    /** An avcC body from one SPS and one PPS (NAL units without start codes), with 4-byte NAL lengths. */
    public static byte[] fromParameterSets(byte[] sps, byte[] pps) {
        if (sps.length < 4) {
            throw new Mp4Exception("SPS too short: " + sps.length + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(sps[1]);
        out.write(sps[2]);
        out.write(sps[3]);
        out.write(0xFF); // 6 reserved bits, lengthSizeMinusOne = 3
        out.write(0xE1); // 3 reserved bits, one SPS
        out.write(sps.length >>> 8);
        out.write(sps.length);
        out.writeBytes(sps);
        out.write(1);
        out.write(pps.length >>> 8);
        out.write(pps.length);
        out.writeBytes(pps);
        return out.toByteArray();
    }

    /** Whether {@code data} starts with an Annex B start code (00 00 01 or 00 00 00 01). */
    public static boolean isAnnexB(byte[] data) {
        return data.length >= 4 && data[0] == 0 && data[1] == 0 && (data[2] == 1 || data[2] == 0 && data[3] == 1);
    }

    /** The NAL units of an Annex B access unit, without start codes. */
    public static List<byte[]> splitAnnexB(byte[] data) {
        List<byte[]> nals = new ArrayList<>();
        int i = 0;
        int start = -1;
        while (i + 2 < data.length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    nals.add(trimmed(data, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < data.length) {
            nals.add(trimmed(data, start, data.length));
        }
        return nals;
    }

    // Drops the trailing zero bytes before the next start code (a 4-byte start code's leading zero, trailing_zero_8bits).
    private static byte[] trimmed(byte[] data, int from, int to) {
        while (to > from && data[to - 1] == 0) {
            to--;
        }
        byte[] nal = new byte[to - from];
        System.arraycopy(data, from, nal, 0, nal.length);
        return nal;
    }

    /** An Annex B access unit as 4-byte length-prefixed NAL units. */
    public static byte[] annexBToLengthPrefixed(byte[] data) {
        List<byte[]> nals = splitAnnexB(data);
        int total = 0;
        for (byte[] n : nals) {
            total += 4 + n.length;
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (byte[] n : nals) {
            out.putInt(n.length).put(n);
        }
        return out.array();
    }

    /** Type of a NAL unit (its first byte's low five bits). */
    public static int nalType(byte[] nal) {
        return nal.length == 0 ? -1 : nal[0] & 0x1F;
    }
}
