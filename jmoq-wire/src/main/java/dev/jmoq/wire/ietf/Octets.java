package dev.jmoq.wire.ietf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string compared by content: namespace fields, track names, tokens, raw
 * parameter values and Track Properties, which moq-transport defines as bytes rather than text.
 * Thread-safe.
 */
public final class Octets {
    public static final Octets EMPTY = new Octets(new byte[0]);

    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
    }

    /** Takes {@code bytes} without copying; the caller must not change them afterwards. */
    static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    /** The UTF-8 bytes of {@code text}. */
    public static Octets utf8(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses lowercase or uppercase hex. */
    public static Octets hex(String hex) {
        return wrap(HexFormat.of().parseHex(hex));
    }

    public int length() {
        return bytes.length;
    }

    public byte get(int i) {
        return bytes[i];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    byte[] array() {
        return bytes;
    }

    /** The bytes decoded as UTF-8 (malformed sequences replaced). */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Octets other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Printable ASCII as is, anything else as hex: for logs. */
    @Override
    public String toString() {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7E) {
                return "0x" + HexFormat.of().formatHex(bytes);
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
