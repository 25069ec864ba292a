package dev.jmoq.cli.media;

/**
 * The fields of an AAC AudioSpecificConfig (ISO/IEC 14496-3 section 1.6.2.1) that a catalog and an MP4
 * sample entry need, and the two-byte config of an AAC-LC stream.
 *
 * @param objectType  audioObjectType (2 = AAC-LC); the {@code mp4a.40.N} codec string's N
 * @param sampleRate  Hz, or 0 when the config uses a frequency index this reader does not know
 * @param channels    channelConfiguration (0 = defined in the program config element)
 */
public record AacConfig(int objectType, int sampleRate, int channels) {
    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

    /** Reads the leading fields of an AudioSpecificConfig. */
    public static AacConfig parse(byte[] asc) {
        if (asc.length < 2) {
            throw new Mp4Exception("AudioSpecificConfig too short: " + asc.length + " bytes");
        }
        BitReader r = new BitReader(asc);
        int type = r.bits(5);
        if (type == 31) {
            type = 32 + r.bits(6);
        }
        int index = r.bits(4);
        int rate = index == 15 ? r.bits(24) : index < RATES.length ? RATES[index] : 0;
        int channels = r.bits(4);
        return new AacConfig(type, rate, channels);
    }

    /** A two-byte AudioSpecificConfig for AAC-LC at a standard sample rate. */
    public static byte[] lowComplexity(int sampleRate, int channels) {
        int index = -1;
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == sampleRate) {
                index = i;
            }
        }
        if (index < 0) {
            throw new Mp4Exception("AAC: no frequency index for " + sampleRate + " Hz");
        }
        int v = 2 << 11 | index << 7 | (channels & 0xF) << 3;
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static final class BitReader {
        private final byte[] data;
        private int bit;

        BitReader(byte[] data) {
            this.data = data;
        }

        int bits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                int byteIndex = bit >>> 3;
                if (byteIndex >= data.length) {
                    throw new Mp4Exception("AudioSpecificConfig truncated");
                }
                v = v << 1 | (data[byteIndex] >>> (7 - (bit & 7)) & 1);
                bit++;
            }
            return v;
        }
    }
}
