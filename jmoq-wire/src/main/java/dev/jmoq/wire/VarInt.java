package dev.jmoq.wire;

import io.netty.buffer.ByteBuf;

/**
 * QUIC variable-length integers (RFC 9000 section 16): 1, 2, 4 or 8 bytes, the top two bits of the
 * first byte giving the length; values up to 2^62 - 1.
 *
 * <p>Stateless and thread-safe. Reading never consumes a partial varint: {@link #peekLength} and
 * {@link #isReadable} let incremental decoders wait for more bytes.
 */
public final class VarInt {
    /** The largest encodable value, 2^62 - 1. */
    public static final long MAX = (1L << 62) - 1;

    private VarInt() {
    }

    /** Bytes needed to encode {@code value}. */
    public static int size(long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("varint out of range: " + value);
        }
        if (value < 0x40) {
            return 1;
        }
        if (value < 0x4000) {
            return 2;
        }
        if (value < 0x4000_0000L) {
            return 4;
        }
        return 8;
    }

    /** Writes {@code value} in its shortest form. */
    public static void write(ByteBuf out, long value) {
        switch (size(value)) {
            case 1 -> out.writeByte((int) value);
            case 2 -> out.writeShort((int) (0x4000 | value));
            case 4 -> out.writeInt((int) (0x8000_0000L | value));
            default -> out.writeLong(0xC000_0000_0000_0000L | value);
        }
    }

    /** Length in bytes of the varint starting at the reader index; the buffer must have one readable byte. */
    public static int peekLength(ByteBuf in) {
        return 1 << ((in.getByte(in.readerIndex()) & 0xC0) >>> 6);
    }

    /** True when a whole varint is readable at the reader index. */
    public static boolean isReadable(ByteBuf in) {
        return in.isReadable() && in.readableBytes() >= peekLength(in);
    }

    /** Reads a varint; the caller has checked {@link #isReadable}. */
    public static long read(ByteBuf in) {
        int first = in.getByte(in.readerIndex()) & 0xFF;
        return switch (first >>> 6) {
            case 0 -> in.readByte() & 0x3F;
            case 1 -> in.readShort() & 0x3FFF;
            case 2 -> in.readInt() & 0x3FFF_FFFFL;
            default -> in.readLong() & 0x3FFF_FFFF_FFFF_FFFFL;
        };
    }

    /** Reads the varint at absolute {@code index} without moving the reader index. */
    public static long get(ByteBuf in, int index) {
        int first = in.getByte(index) & 0xFF;
        return switch (first >>> 6) {
            case 0 -> first & 0x3F;
            case 1 -> in.getShort(index) & 0x3FFF;
            case 2 -> in.getInt(index) & 0x3FFF_FFFFL;
            default -> in.getLong(index) & 0x3FFF_FFFF_FFFF_FFFFL;
        };
    }
}
