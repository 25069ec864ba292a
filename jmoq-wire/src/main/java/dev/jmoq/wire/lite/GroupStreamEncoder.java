package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.ZigZag;
import io.netty.buffer.ByteBuf;

/**
 * Writes the headers of one group stream (or draft 05 fetch response): the stream type and GROUP
 * header once, then a frame header before each payload. The payload itself is written by the caller
 * as its own buffer, so a relay forwards received slices without copying.
 *
 * <p>Not thread-safe: it keeps the previous frame's timestamp for draft 05 deltas. Writes into the
 * caller's buffer and owns none.
 */
public final class GroupStreamEncoder {
    /** Upper bound on {@link #writeFrameHeader}'s output: a timestamp delta and a size varint. */
    public static final int MAX_FRAME_HEADER = 16;

    private final LiteVersion version;
    private long previousTimestamp;

    public GroupStreamEncoder(LiteVersion version) {
        this.version = version;
    }

    /** Writes {@link LiteDataType#GROUP} and the GROUP header. */
    public void writeStreamHeader(ByteBuf out, GroupHeader header) {
        LiteDataType.GROUP.write(out);
        header.encode(out, version);
    }

    /**
     * Writes the header of a frame of {@code payloadSize} bytes. {@code timestamp} is the absolute
     * timestamp in the track's timescale; ignored before draft 05.
     */
    public void writeFrameHeader(ByteBuf out, long timestamp, int payloadSize) {
        if (payloadSize < 0) {
            throw new IllegalArgumentException("payloadSize must be >= 0: " + payloadSize);
        }
        if (version.hasFrameTimestamps()) {
            if (timestamp < 0 || timestamp > VarInt.MAX) {
                throw new IllegalArgumentException("timestamp out of range: " + timestamp);
            }
            VarInt.write(out, ZigZag.encode(timestamp - previousTimestamp));
            previousTimestamp = timestamp;
        }
        VarInt.write(out, payloadSize);
    }
}
