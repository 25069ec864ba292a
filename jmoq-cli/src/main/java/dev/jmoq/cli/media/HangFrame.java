package dev.jmoq.cli.media;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * hang's "legacy" container, the default of {@code @moq/hang} 0.3.5 and {@code rs/hang}: one moq-lite frame
 * per media frame, a QUIC varint (RFC 9000 section 16) presentation timestamp in microseconds followed by the
 * raw codec payload (H.264 as the catalog describes it: length-prefixed with a description, Annex B without;
 * Opus and AAC raw access units). An empty payload is a marker, not a sample.
 *
 * @param timestampMicros presentation time in microseconds
 * @param payload         the codec payload (a view into the frame; the caller owns the frame)
 */
public record HangFrame(long timestampMicros, ByteBuf payload) {
    /** Encodes a frame into a new buffer (the caller owns it). */
    public static ByteBuf encode(ByteBufAllocator alloc, long timestampMicros, ByteBuffer payload) {
        if (timestampMicros < 0 || timestampMicros > VarInt.MAX) {
            throw new IllegalArgumentException("timestamp out of range: " + timestampMicros);
        }
        ByteBuf out = alloc.buffer(VarInt.size(timestampMicros) + payload.remaining());
        VarInt.write(out, timestampMicros);
        out.writeBytes(payload.duplicate());
        return out;
    }

    /**
     * Decodes a frame without copying: the payload is a slice of {@code frame} (valid while the frame is).
     *
     * @throws Mp4Exception the frame is empty or its varint is truncated
     */
    public static HangFrame decode(ByteBuf frame) {
        if (!VarInt.isReadable(frame)) {
            throw new Mp4Exception("hang frame of " + frame.readableBytes() + " bytes has no complete timestamp varint");
        }
        int len = VarInt.peekLength(frame);
        long ts = VarInt.get(frame, frame.readerIndex());
        return new HangFrame(ts, frame.slice(frame.readerIndex() + len, frame.readableBytes() - len));
    }
}
