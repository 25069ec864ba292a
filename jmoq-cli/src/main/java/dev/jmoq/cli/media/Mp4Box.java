package dev.jmoq.cli.media;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One ISO BMFF box (ISO/IEC 14496-12 section 4.2): its four-character type, the absolute offset of its first
 * header byte in the stream it came from, the size of its header (8, or 16 with a 64-bit size), and its body
 * (a read-only view; position 0 is the first byte after the header).
 */
public record Mp4Box(String type, long offset, int headerSize, ByteBuffer body) {
    /** The box's size on the wire, header included. */
    public long size() {
        return headerSize + (long) body.remaining();
    }

    /**
     * The boxes inside {@code body} (a container box's payload, or a full box's payload after
     * {@code skip} bytes of version, flags or fixed fields).
     *
     * @throws Mp4Exception when a child's size runs past the parent
     */
    public static List<Mp4Box> children(ByteBuffer body, int skip) {
        List<Mp4Box> out = new ArrayList<>();
        ByteBuffer b = body.duplicate();
        b.position(b.position() + skip);
        while (b.remaining() >= 8) {
            int start = b.position();
            long size = Integer.toUnsignedLong(b.getInt());
            String type = fourcc(b.getInt());
            int header = 8;
            if (size == 1) {
                if (b.remaining() < 8) {
                    throw new Mp4Exception("box " + type + " truncated 64-bit size");
                }
                size = b.getLong();
                header = 16;
            } else if (size == 0) {
                size = b.limit() - start;
            }
            if (size < header || size > b.limit() - start) {
                throw new Mp4Exception("box " + type + " size " + size + " exceeds its parent (" + (b.limit() - start) + " left)");
            }
            ByteBuffer child = b.duplicate();
            child.position(start + header).limit(start + (int) size);
            out.add(new Mp4Box(type, start, header, child.slice()));
            b.position(start + (int) size);
        }
        return out;
    }

    /** The first child of type {@code type} inside this box (a container), or null. */
    public Mp4Box child(String type) {
        return first(children(body, 0), type);
    }

    /** The children of this box (a container). */
    public List<Mp4Box> children() {
        return children(body, 0);
    }

    /** Follows a path of container types down from this box, e.g. {@code path("mdia", "minf", "stbl")}; null when absent. */
    public Mp4Box path(String... types) {
        Mp4Box b = this;
        for (String t : types) {
            b = b.child(t);
            if (b == null) {
                return null;
            }
        }
        return b;
    }

    /** The first box of {@code type} in {@code boxes}, or null. */
    public static Mp4Box first(List<Mp4Box> boxes, String type) {
        for (Mp4Box b : boxes) {
            if (b.type.equals(type)) {
                return b;
            }
        }
        return null;
    }

    /** A four-character code as a string (ISO-8859-1, one char per byte). */
    public static String fourcc(int code) {
        return new String(new char[] {(char) (code >>> 24 & 0xFF), (char) (code >>> 16 & 0xFF), (char) (code >>> 8 & 0xFF),
            (char) (code & 0xFF)});
    }

    @Override
    public String toString() {
        return "Mp4Box[" + type + " offset=" + offset + " size=" + size() + "]";
    }
}
