package dev.jmoq.cli.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO BMFF boxes into a growing byte array: {@link #begin} a box, write its fields, {@link #end} it
 * (which patches its 32-bit size). Boxes nest. Not thread-safe.
 */
public final class BoxWriter {
    private byte[] buf = new byte[1024];
    private int len;

    /** Starts a box of {@code type}; returns the mark to pass to {@link #end}. */
    public int begin(String type) {
        int mark = len;
        u32(0);
        fourcc(type);
        return mark;
    }

    /** Starts a full box (version and 24-bit flags after the header). */
    public int beginFull(String type, int version, int flags) {
        int mark = begin(type);
        u32(version << 24 | flags & 0xFFFFFF);
        return mark;
    }

    /** Ends the box started at {@code mark}. */
    public BoxWriter end(int mark) {
        int size = len - mark;
        buf[mark] = (byte) (size >>> 24);
        buf[mark + 1] = (byte) (size >>> 16);
        buf[mark + 2] = (byte) (size >>> 8);
        buf[mark + 3] = (byte) size;
        return this;
    }

    public BoxWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public BoxWriter u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    public BoxWriter u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    public BoxWriter u64(long v) {
        return u32(v >>> 32).u32(v);
    }

    public BoxWriter zeros(int n) {
        ensure(n);
        len += n;
        return this;
    }

    public BoxWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public BoxWriter fourcc(String type) {
        byte[] b = type.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length != 4) {
            throw new IllegalArgumentException("not a four-character code: " + type);
        }
        return bytes(b);
    }

    /** Overwrites 4 bytes at {@code at}. */
    public void patch32(int at, long v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /** Bytes written so far. */
    public int size() {
        return len;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
