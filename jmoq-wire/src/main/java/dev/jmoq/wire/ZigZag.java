package dev.jmoq.wire;

/**
 * Zigzag mapping between signed and unsigned integers ({@code -1 -> 1, 1 -> 2, -2 -> 3}), used by
 * moq-lite-05 frame timestamp deltas so small negative deltas stay one byte. Stateless.
 */
public final class ZigZag {
    /** The largest magnitude whose zigzag image fits a varint: [-2^61, 2^61 - 1]. */
    public static final long MIN = -(1L << 61);
    public static final long MAX = (1L << 61) - 1;

    private ZigZag() {
    }

    public static long encode(long signed) {
        if (signed < MIN || signed > MAX) {
            throw new IllegalArgumentException("zigzag out of varint range: " + signed);
        }
        return (signed << 1) ^ (signed >> 63);
    }

    public static long decode(long unsigned) {
        return (unsigned >>> 1) ^ -(unsigned & 1);
    }
}
