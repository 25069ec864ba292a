package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Field readers and writers shared by the message codecs. Readers work on a message body already
 * bounded by its size prefix, so running short is malformed input, never "wait for more".
 * Stateless.
 */
final class Fields {
    private Fields() {
    }

    static ProtocolException malformed(String what) {
        return new ProtocolException(LiteErrorCode.DECODE, what, true);
    }

    static ProtocolException tooMany(String what, long count, long max) {
        return new ProtocolException(LiteErrorCode.BOUNDS_EXCEEDED, what + " count " + count + " exceeds " + max, true);
    }

    static long varint(ByteBuf b, String field) throws ProtocolException {
        if (!VarInt.isReadable(b)) {
            throw malformed("truncated " + field);
        }
        return VarInt.read(b);
    }

    static int u8(ByteBuf b, String field) throws ProtocolException {
        if (!b.isReadable()) {
            throw malformed("truncated " + field);
        }
        return b.readUnsignedByte();
    }

    static boolean bool(ByteBuf b, String field) throws ProtocolException {
        int v = u8(b, field);
        if (v > 1) {
            throw malformed("invalid bool " + field + "=" + v);
        }
        return v == 1;
    }

    /** A length-prefixed byte run, bounded by {@code max} and by the bytes left, checked before copying. */
    static byte[] bytes(ByteBuf b, int max, String field) throws ProtocolException {
        long len = varint(b, field + " length");
        if (len > max) {
            throw new ProtocolException(LiteErrorCode.BOUNDS_EXCEEDED, field + " length " + len + " exceeds " + max, true);
        }
        if (len > b.readableBytes()) {
            throw malformed("truncated " + field);
        }
        byte[] out = new byte[(int) len];
        b.readBytes(out);
        return out;
    }

    /**
     * A broadcast path or prefix: a string bounded only by the message body (which its framing bounded by the
     * caller's maximum message size). What paths may be stored is the model's rule (core.model.Paths), checked
     * where the session takes the path, so a path it refuses costs that request, not the stream it came on.
     */
    static String path(ByteBuf b, String field) throws ProtocolException {
        return string(b, Integer.MAX_VALUE, field); // a length beyond the body is malformed (truncated)
    }

    /**
     * A length-prefixed UTF-8 string; malformed UTF-8 is rejected rather than replaced. A length above {@code max}
     * in a well-framed body is BOUNDS_EXCEEDED for this stream only (the next message still starts where its
     * framing says).
     */
    static String string(ByteBuf b, int max, String field) throws ProtocolException {
        long len = varint(b, field + " length");
        if (len > max) {
            throw new ProtocolException(LiteErrorCode.BOUNDS_EXCEEDED, field + " length " + len + " exceeds " + max, false);
        }
        if (len > b.readableBytes()) {
            throw malformed("truncated " + field);
        }
        int n = (int) len;
        int at = b.readerIndex();
        if (!ByteBufUtil.isText(b, at, n, StandardCharsets.UTF_8)) {
            throw malformed("invalid UTF-8 in " + field);
        }
        String s = b.toString(at, n, StandardCharsets.UTF_8);
        b.skipBytes(n);
        return s;
    }

    /**
     * A list count, bounded by {@code max} and by the bytes left (each entry takes at least
     * {@code minEntryBytes}), so a forged count never sizes an allocation.
     */
    static int count(ByteBuf b, int max, int minEntryBytes, String field) throws ProtocolException {
        long n = varint(b, field + " count");
        if (n > max) {
            throw tooMany(field, n, max);
        }
        if (n * minEntryBytes > b.readableBytes()) {
            throw malformed("truncated " + field + " list");
        }
        return (int) n;
    }

    /** Optional group: 0 on the wire is absent, otherwise the value plus one. */
    static OptionalLong optionalGroup(ByteBuf b, String field) throws ProtocolException {
        long v = varint(b, field);
        return v == 0 ? OptionalLong.empty() : OptionalLong.of(v - 1);
    }

    static void writeOptionalGroup(ByteBuf out, OptionalLong v) {
        VarInt.write(out, v.isPresent() ? v.getAsLong() + 1 : 0);
    }

    static void writeString(ByteBuf out, String s) {
        VarInt.write(out, ByteBufUtil.utf8Bytes(s));
        ByteBufUtil.writeUtf8(out, s);
    }

    static void writeBytes(ByteBuf out, byte[] bytes) {
        VarInt.write(out, bytes.length);
        out.writeBytes(bytes);
    }

    static void writeBool(ByteBuf out, boolean v) {
        out.writeByte(v ? 1 : 0);
    }

    static int checkU8(int v, String field) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException(field + " must be 0..255: " + v);
        }
        return v;
    }

    static long checkVarint(long v, String field) {
        if (v < 0 || v > VarInt.MAX) {
            throw new IllegalArgumentException(field + " out of varint range: " + v);
        }
        return v;
    }

    static void checkGroup(OptionalLong v, String field) {
        if (v.isPresent()) {
            checkVarint(v.getAsLong() + 1, field);
        }
    }
}
