package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * The two variable-length integer encodings of moq-transport. {@link #QUIC}: RFC 9000 section 16
 * (drafts 14-16; 1, 2, 4 or 8 bytes, values below 2^62). {@link #MOQT}: draft 17+ section 1.4.1, the
 * count of leading one bits of the first byte gives the length (1-9 bytes, every 64-bit value; values
 * are Java longs read as unsigned). {@link #MOQT_17} is draft 17's variant, where the 7-byte form
 * (first byte {@code 0b1111110x}) does not exist and is a PROTOCOL_VIOLATION.
 *
 * <p>Stateless and thread-safe. Writers use the shortest form. Readers never consume a partial
 * integer: {@link #length} tells an incremental decoder how many bytes to wait for.
 */
public enum IetfVarInt {
    QUIC,
    MOQT_17,
    MOQT;

    /** Bytes needed to encode {@code value} (unsigned for MOQT). */
    public int size(long value) {
        if (this == QUIC) {
            return VarInt.size(value);
        }
        if (value < 0) {
            return 9;
        }
        if (value < 1L << 7) {
            return 1;
        }
        if (value < 1L << 14) {
            return 2;
        }
        if (value < 1L << 21) {
            return 3;
        }
        if (value < 1L << 28) {
            return 4;
        }
        if (value < 1L << 35) {
            return 5;
        }
        if (value < 1L << 42) {
            return 6;
        }
        if (value < 1L << 49 && this == MOQT) {
            return 7;
        }
        return value < 1L << 56 ? 8 : 9;
    }

    /** The largest value this encoding carries, as an unsigned long (-1 = 2^64 - 1 for MOQT). */
    public long max() {
        return this == QUIC ? VarInt.MAX : -1L;
    }

    /** Writes {@code value} in its shortest form; IllegalArgumentException when out of range. */
    public void write(ByteBuf out, long value) {
        if (this == QUIC) {
            VarInt.write(out, value);
            return;
        }
        int n = size(value);
        switch (n) {
            case 1 -> out.writeByte((int) value);
            case 9 -> {
                out.writeByte(0xFF);
                out.writeLong(value);
            }
            case 8 -> {
                out.writeByte(0xFE);
                writeLow(out, value, 7);
            }
            default -> {
                // First byte: n-1 ones, a zero, then the value's top bits.
                int prefix = (0xFF00 >>> (n - 1)) & 0xFF;
                out.writeByte(prefix | (int) (value >>> (8 * (n - 1))));
                writeLow(out, value, n - 1);
            }
        }
    }

    private static void writeLow(ByteBuf out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.writeByte((int) (value >>> (8 * i)));
        }
    }

    /**
     * Length of the integer whose first byte is at {@code index}; the byte must be readable. Throws
     * for the draft-17 invalid prefix {@code 0b11111100}/{@code 0b11111101}.
     */
    public int length(ByteBuf in, int index) throws ProtocolException {
        int first = in.getByte(index) & 0xFF;
        if (this == QUIC) {
            return 1 << (first >>> 6);
        }
        int ones = Math.min(8, Integer.numberOfLeadingZeros(~first << 24));
        if (ones == 6 && this == MOQT_17) {
            throw new ProtocolException(IetfErrorCode.PROTOCOL_VIOLATION.code(),
                    "invalid varint prefix 0x" + Integer.toHexString(first) + " on draft 17", true);
        }
        return ones == 8 ? 9 : ones + 1;
    }

    /** True when a whole integer is readable at the reader index. */
    public boolean isReadable(ByteBuf in) throws ProtocolException {
        return in.isReadable() && in.readableBytes() >= length(in, in.readerIndex());
    }

    /** Reads the integer at absolute {@code index} without moving the reader index; it must be whole. */
    public long get(ByteBuf in, int index) throws ProtocolException {
        if (this == QUIC) {
            return VarInt.get(in, index);
        }
        int n = length(in, index);
        int first = in.getByte(index) & 0xFF;
        long v = n >= 8 ? 0 : first & (0xFF >>> n);
        for (int i = 1; i < n; i++) {
            v = (v << 8) | (in.getByte(index + i) & 0xFF);
        }
        return v;
    }

    /** Reads an integer; the caller has checked {@link #isReadable}. */
    public long read(ByteBuf in) throws ProtocolException {
        int at = in.readerIndex();
        int n = length(in, at);
        long v = get(in, at);
        in.readerIndex(at + n);
        return v;
    }
}
