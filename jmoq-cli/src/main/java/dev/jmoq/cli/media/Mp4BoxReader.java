package dev.jmoq.cli.media;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads top-level boxes one at a time from a stream (a file, or a pipe that ffmpeg is still writing), so each
 * fragment is handled as soon as its last byte arrives. Bounded: a box larger than {@code maxBoxSize} is an
 * error, never an allocation of the size it claims. Not thread-safe.
 */
public final class Mp4BoxReader {
    /** Default bound on one top-level box (a fragment's mdat is far smaller). */
    public static final int DEFAULT_MAX_BOX_SIZE = 64 << 20;

    private final InputStream in;
    private final int maxBoxSize;
    private long position;

    public Mp4BoxReader(InputStream in) {
        this(in, DEFAULT_MAX_BOX_SIZE);
    }

    public Mp4BoxReader(InputStream in, int maxBoxSize) {
        this.in = in;
        this.maxBoxSize = maxBoxSize;
    }

    /** Stream offset of the next box. */
    public long position() {
        return position;
    }

    /**
     * The next top-level box, or null at a clean end of stream (between boxes).
     *
     * @throws EOFException the stream ended inside a box
     * @throws Mp4Exception the box claims a size below its header, above the bound, or "to end of file" (0)
     */
    public Mp4Box next() throws IOException {
        byte[] header = new byte[8];
        int first = in.readNBytes(header, 0, 8);
        if (first == 0) {
            return null;
        }
        if (first < 8) {
            throw new EOFException("stream ended inside a box header at offset " + position);
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        long size = Integer.toUnsignedLong(h.getInt());
        String type = Mp4Box.fourcc(h.getInt());
        int headerSize = 8;
        if (size == 1) {
            byte[] large = in.readNBytes(8);
            if (large.length < 8) {
                throw new EOFException("stream ended inside the 64-bit size of box " + type + " at offset " + position);
            }
            size = ByteBuffer.wrap(large).getLong();
            headerSize = 16;
        } else if (size == 0) {
            throw new Mp4Exception("box " + type + " at offset " + position + " extends to end of file: not streamable");
        }
        if (size < headerSize || size - headerSize > maxBoxSize) {
            throw new Mp4Exception("box " + type + " at offset " + position + " has size " + size + " (limit " + maxBoxSize + ")");
        }
        byte[] body = in.readNBytes((int) (size - headerSize));
        if (body.length < size - headerSize) {
            throw new EOFException("stream ended inside box " + type + " at offset " + position + " (" + body.length + " of "
                    + (size - headerSize) + " body bytes)");
        }
        Mp4Box box = new Mp4Box(type, position, headerSize, ByteBuffer.wrap(body).asReadOnlyBuffer());
        position += size;
        return box;
    }
}
