package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Field readers and writers shared by the message codecs, each in the draft's integer encoding.
 * Readers work on a body already bounded by its length, so running short is malformed input
 * (PROTOCOL_VIOLATION), never "wait for more". Every length is checked against its bound and the
 * bytes left before anything is allocated. Stateless.
 */
final class Wire {
    private Wire() {
    }

    /** An object payload above the receiver's bound: malformed, and counted as a frame-size violation. */
    static ProtocolException payloadTooLarge(long length, long max) {
        return new ProtocolException(IetfErrorCode.PROTOCOL_VIOLATION.code(), "object payload length "
                + Long.toUnsignedString(length) + " exceeds " + max, true, ProtocolException.Limit.FRAME_SIZE);
    }

    static ProtocolException malformed(String what) {
        return new ProtocolException(IetfErrorCode.PROTOCOL_VIOLATION.code(), what, true);
    }

    static long varint(ByteBuf b, IetfVersion v, String field) throws ProtocolException {
        if (!v.varint().isReadable(b)) {
            throw malformed("truncated " + field);
        }
        return v.varint().read(b);
    }

    /** A varint that must fit an int-sized, bounded count or length. */
    static int bounded(ByteBuf b, IetfVersion v, long max, String field) throws ProtocolException {
        long n = varint(b, v, field);
        if (n < 0 || n > max) {
            throw malformed(field + " " + Long.toUnsignedString(n) + " exceeds " + max);
        }
        return (int) n;
    }

    static int u8(ByteBuf b, String field) throws ProtocolException {
        if (!b.isReadable()) {
            throw malformed("truncated " + field);
        }
        return b.readUnsignedByte();
    }

    static boolean bool(ByteBuf b, String field) throws ProtocolException {
        int x = u8(b, field);
        if (x > 1) {
            throw malformed("invalid " + field + " " + x);
        }
        return x == 1;
    }

    static byte[] raw(ByteBuf b, int len, String field) throws ProtocolException {
        if (len > b.readableBytes()) {
            throw malformed("truncated " + field);
        }
        byte[] out = new byte[len];
        b.readBytes(out);
        return out;
    }

    /** A length-prefixed byte run of at most {@code max} bytes. */
    static Octets octets(ByteBuf b, IetfVersion v, int max, String field) throws ProtocolException {
        int len = bounded(b, v, max, field + " length");
        return Octets.wrap(raw(b, len, field));
    }

    /** A Reason Phrase: length-prefixed UTF-8, at most {@value IetfLimits#MAX_REASON} bytes. */
    static String reason(ByteBuf b, IetfVersion v) throws ProtocolException {
        return utf8(b, v, IetfLimits.MAX_REASON, "reason phrase");
    }

    /** Length-prefixed UTF-8 of at most {@code max} bytes; malformed UTF-8 is rejected, not replaced. */
    static String utf8(ByteBuf b, IetfVersion v, int max, String field) throws ProtocolException {
        int len = bounded(b, v, max, field + " length");
        if (len > b.readableBytes()) {
            throw malformed("truncated " + field);
        }
        if (!ByteBufUtil.isText(b, b.readerIndex(), len, StandardCharsets.UTF_8)) {
            throw malformed(field + " is not UTF-8");
        }
        String s = b.toString(b.readerIndex(), len, StandardCharsets.UTF_8);
        b.skipBytes(len);
        return s;
    }

    /** A Track Namespace tuple: field count, then length-prefixed fields; bounded by count and total size. */
    static TrackNamespace namespace(ByteBuf b, IetfVersion v) throws ProtocolException {
        int n = bounded(b, v, IetfLimits.MAX_NAMESPACE_FIELDS, "namespace field count");
        if (n > b.readableBytes()) {
            throw malformed("truncated namespace");
        }
        List<Octets> fields = new ArrayList<>(n);
        int total = 0;
        for (int i = 0; i < n; i++) {
            Octets f = octets(b, v, IetfLimits.MAX_FULL_NAME_BYTES, "namespace field");
            total += f.length();
            if (total > IetfLimits.MAX_FULL_NAME_BYTES) {
                throw malformed("namespace exceeds " + IetfLimits.MAX_FULL_NAME_BYTES + " bytes");
            }
            fields.add(f);
        }
        return new TrackNamespace(fields);
    }

    /** A Track Name; with its namespace at most {@value IetfLimits#MAX_FULL_NAME_BYTES} bytes (draft 14+ "Track Names"). */
    static Octets trackName(ByteBuf b, IetfVersion v, TrackNamespace ns) throws ProtocolException {
        int used = 0;
        for (Octets f : ns.fields()) {
            used += f.length();
        }
        return octets(b, v, IetfLimits.MAX_FULL_NAME_BYTES - used, "track name");
    }

    static Location location(ByteBuf b, IetfVersion v, String field) throws ProtocolException {
        return new Location(varint(b, v, field + " group"), varint(b, v, field + " object"));
    }

    /** Everything left in the body, as bytes (Track Properties run to the end of their message). */
    static Octets rest(ByteBuf b) {
        return Octets.wrap(ByteBufUtil.getBytes(b, b.readerIndex(), b.readableBytes()));
    }

    static Octets restSkipping(ByteBuf b) {
        Octets o = rest(b);
        b.skipBytes(b.readableBytes());
        return o;
    }

    // ---- writers ----

    static void writeVarint(ByteBuf out, IetfVersion v, long x) {
        v.varint().write(out, x);
    }

    static void writeOctets(ByteBuf out, IetfVersion v, Octets o) {
        writeVarint(out, v, o.length());
        out.writeBytes(o.array());
    }

    static void writeUtf8(ByteBuf out, IetfVersion v, String s) {
        writeReason(out, v, s);
    }

    static void writeReason(ByteBuf out, IetfVersion v, String s) {
        writeVarint(out, v, ByteBufUtil.utf8Bytes(s));
        ByteBufUtil.writeUtf8(out, s);
    }

    static void writeNamespace(ByteBuf out, IetfVersion v, TrackNamespace ns) {
        writeVarint(out, v, ns.fields().size());
        for (Octets f : ns.fields()) {
            writeOctets(out, v, f);
        }
    }

    static void writeLocation(ByteBuf out, IetfVersion v, Location l) {
        writeVarint(out, v, l.group());
        writeVarint(out, v, l.object());
    }

    static int checkU8(int x, String field) {
        if (x < 0 || x > 255) {
            throw new IllegalArgumentException(field + " must be 0..255: " + x);
        }
        return x;
    }
}
