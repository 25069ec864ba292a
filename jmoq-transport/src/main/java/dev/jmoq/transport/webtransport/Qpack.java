package dev.jmoq.transport.webtransport;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of QPACK (RFC 9204) a WebTransport endpoint needs, with no dynamic table (we advertise a
 * capacity of 0, so a peer may not use one): decoding field sections made of static-table references
 * and literals (Huffman or not), and encoding ours as static references and plain literals.
 * Stateless and thread-safe.
 */
final class Qpack {
    /** The static table, RFC 9204 Appendix A: name, value pairs by index. */
    private static final String[] STATIC = {
            ":authority", "",
            ":path", "/",
            "age", "0",
            "content-disposition", "",
            "content-length", "0",
            "cookie", "",
            "date", "",
            "etag", "",
            "if-modified-since", "",
            "if-none-match", "",
            "last-modified", "",
            "link", "",
            "location", "",
            "referer", "",
            "set-cookie", "",
            ":method", "CONNECT",
            ":method", "DELETE",
            ":method", "GET",
            ":method", "HEAD",
            ":method", "OPTIONS",
            ":method", "POST",
            ":method", "PUT",
            ":scheme", "http",
            ":scheme", "https",
            ":status", "103",
            ":status", "200",
            ":status", "304",
            ":status", "404",
            ":status", "503",
            "accept", "*/*",
            "accept", "application/dns-message",
            "accept-encoding", "gzip, deflate, br",
            "accept-ranges", "bytes",
            "access-control-allow-headers", "cache-control",
            "access-control-allow-headers", "content-type",
            "access-control-allow-origin", "*",
            "cache-control", "max-age=0",
            "cache-control", "max-age=2592000",
            "cache-control", "max-age=604800",
            "cache-control", "no-cache",
            "cache-control", "no-store",
            "cache-control", "public, max-age=31536000",
            "content-encoding", "br",
            "content-encoding", "gzip",
            "content-type", "application/dns-message",
            "content-type", "application/javascript",
            "content-type", "application/json",
            "content-type", "application/x-www-form-urlencoded",
            "content-type", "image/gif",
            "content-type", "image/jpeg",
            "content-type", "image/png",
            "content-type", "text/css",
            "content-type", "text/html;charset=utf-8",
            "content-type", "text/plain",
            "content-type", "text/plain;charset=utf-8",
            "range", "bytes=0-",
            "strict-transport-security", "max-age=31536000",
            "strict-transport-security", "max-age=31536000;includesubdomains",
            "strict-transport-security", "max-age=31536000;includesubdomains;preload",
            "vary", "accept-encoding",
            "vary", "origin",
            "x-content-type-options", "nosniff",
            "x-xss-protection", "1; mode=block",
            ":status", "100",
            ":status", "204",
            ":status", "206",
            ":status", "302",
            ":status", "400",
            ":status", "403",
            ":status", "421",
            ":status", "425",
            ":status", "500",
            "accept-language", "",
            "access-control-allow-credentials", "FALSE",
            "access-control-allow-credentials", "TRUE",
            "access-control-allow-headers", "*",
            "access-control-allow-methods", "get",
            "access-control-allow-methods", "get, post, options",
            "access-control-allow-methods", "options",
            "access-control-expose-headers", "content-length",
            "access-control-request-headers", "content-type",
            "access-control-request-method", "get",
            "access-control-request-method", "post",
            "alt-svc", "clear",
            "authorization", "",
            "content-security-policy", "script-src 'none';object-src 'none';base-uri 'none'",
            "early-data", "1",
            "expect-ct", "",
            "forwarded", "",
            "if-range", "",
            "origin", "",
            "purpose", "prefetch",
            "server", "",
            "timing-allow-origin", "*",
            "upgrade-insecure-requests", "1",
            "user-agent", "",
            "x-forwarded-for", "",
            "x-frame-options", "deny",
            "x-frame-options", "sameorigin",
    };

    /** A decoded field line. */
    record Field(String name, String value) {
    }

    private Qpack() {
    }

    static int staticSize() {
        return STATIC.length / 2;
    }

    static String staticName(int i) {
        return STATIC[2 * i];
    }

    static String staticValue(int i) {
        return STATIC[2 * i + 1];
    }

    /** Reads an N-bit prefix integer (RFC 7541 5.1) whose first byte is at the reader index. */
    static long readInt(ByteBuf in, int prefixBits) throws ProtocolException {
        if (!in.isReadable()) {
            throw malformed("truncated integer");
        }
        int mask = (1 << prefixBits) - 1;
        long value = in.readUnsignedByte() & mask;
        if (value < mask) {
            return value;
        }
        int shift = 0;
        while (true) {
            if (!in.isReadable()) {
                throw malformed("truncated integer");
            }
            int b = in.readUnsignedByte();
            value += (long) (b & 0x7f) << shift;
            if (value > Integer.MAX_VALUE) {
                throw malformed("integer too large");
            }
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 35) { // zero continuation bytes would otherwise run on (and wrap the shift)
                throw malformed("integer too long");
            }
        }
    }

    /** Writes an N-bit prefix integer; {@code flags} are the bits above the prefix in the first byte. */
    static void writeInt(ByteBuf out, int flags, int prefixBits, long value) {
        int mask = (1 << prefixBits) - 1;
        if (value < mask) {
            out.writeByte(flags | (int) value);
            return;
        }
        out.writeByte(flags | mask);
        value -= mask;
        while (value >= 0x80) {
            out.writeByte((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static String readString(ByteBuf in, int prefixBits, int maxLength) throws ProtocolException {
        if (!in.isReadable()) {
            throw malformed("field line ends before its string");
        }
        boolean huffman = (in.getByte(in.readerIndex()) & (1 << prefixBits)) != 0;
        long len = readInt(in, prefixBits);
        if (len > maxLength || len > in.readableBytes()) {
            throw malformed("string length " + len + " out of bounds");
        }
        if (huffman) {
            return Huffman.decode(in, (int) len);
        }
        return in.readCharSequence((int) len, StandardCharsets.ISO_8859_1).toString();
    }

    /** Decodes a whole field section (the payload of a HEADERS frame). */
    static List<Field> decode(ByteBuf in, int maxFields) throws ProtocolException {
        if (in.readableBytes() < 2) {
            throw malformed("field section prefix missing");
        }
        long requiredInsertCount = readInt(in, 8);
        readInt(in, 7); // delta base: meaningless without a dynamic table
        if (requiredInsertCount != 0) {
            throw new ProtocolException(H3.QPACK_DECOMPRESSION_FAILED, "dynamic table reference without a table", true);
        }
        List<Field> fields = new ArrayList<>();
        while (in.isReadable()) {
            if (fields.size() >= maxFields) {
                throw malformed("too many header fields");
            }
            int b = in.getUnsignedByte(in.readerIndex());
            if ((b & 0x80) != 0) { // indexed field line
                if ((b & 0x40) == 0) {
                    throw dynamic();
                }
                int i = (int) readInt(in, 6);
                checkIndex(i);
                fields.add(new Field(staticName(i), staticValue(i)));
            } else if ((b & 0x40) != 0) { // literal with name reference
                if ((b & 0x10) == 0) {
                    throw dynamic();
                }
                int i = (int) readInt(in, 4);
                checkIndex(i);
                fields.add(new Field(staticName(i), readString(in, 7, 65536)));
            } else if ((b & 0x20) != 0) { // literal with literal name
                String name = readString(in, 3, 1024);
                fields.add(new Field(name.toLowerCase(java.util.Locale.ROOT), readString(in, 7, 65536)));
            } else { // post-base forms refer to the dynamic table
                throw dynamic();
            }
        }
        return fields;
    }

    private static void checkIndex(int i) throws ProtocolException {
        if (i >= staticSize()) {
            throw malformed("static table index " + i + " out of range");
        }
    }

    private static ProtocolException dynamic() {
        return new ProtocolException(H3.QPACK_DECOMPRESSION_FAILED, "dynamic table reference without a table", true);
    }

    private static ProtocolException malformed(String what) {
        return new ProtocolException(H3.QPACK_DECOMPRESSION_FAILED, "QPACK: " + what, true);
    }

    /**
     * Encodes {@code fields} (in order) as a field section: an exact static match as an indexed line, a
     * static name as a name reference, anything else as a literal name. No Huffman.
     */
    static void encode(ByteBuf out, List<Map.Entry<String, String>> fields) {
        out.writeByte(0); // required insert count
        out.writeByte(0); // delta base
        for (Map.Entry<String, String> f : fields) {
            int exact = -1;
            int name = -1;
            for (int i = 0; i < staticSize(); i++) {
                if (staticName(i).equals(f.getKey())) {
                    if (staticValue(i).equals(f.getValue())) {
                        exact = i;
                        break;
                    }
                    if (name < 0) {
                        name = i;
                    }
                }
            }
            if (exact >= 0) {
                writeInt(out, 0xc0, 6, exact);
            } else if (name >= 0) {
                writeInt(out, 0x50, 4, name);
                writeLiteral(out, f.getValue());
            } else {
                byte[] n = f.getKey().getBytes(StandardCharsets.ISO_8859_1);
                writeInt(out, 0x20, 3, n.length);
                out.writeBytes(n);
                writeLiteral(out, f.getValue());
            }
        }
    }

    private static void writeLiteral(ByteBuf out, String value) {
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        writeInt(out, 0, 7, v.length);
        out.writeBytes(v);
    }
}
