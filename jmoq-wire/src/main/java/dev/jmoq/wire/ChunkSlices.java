package dev.jmoq.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-copy payload slices of a stream's received chunks, shared by the data stream decoders of both
 * protocol families (moq-lite group streams, IETF subgroup and fetch streams).
 *
 * <p>A payload that lies in one received chunk is a retained slice of it; one that spans a few chunks is a
 * composite of retained slices of each; one that spans more than {@value #MAX_VIEW_CHUNKS} chunks is
 * copied into one buffer, because a view of hundreds of packet-sized buffers costs more to walk, write and
 * release than the copy (a QUIC stream delivers about one packet, ~1.2 kB, per chunk).
 */
public final class ChunkSlices {
    /** The most received chunks a payload view is built from; more than this and the payload is copied. */
    public static final int MAX_VIEW_CHUNKS = 16;

    private ChunkSlices() {}

    /**
     * A retained view (or a copy, see the class doc) of {@code length} bytes at absolute {@code index} of
     * {@code chunks}; the caller owns the result. {@link Unpooled#EMPTY_BUFFER} for {@code length == 0}.
     *
     * @throws IndexOutOfBoundsException when the range is not inside {@code chunks}' readable bytes
     */
    public static ByteBuf retainedSlice(CompositeByteBuf chunks, ByteBufAllocator alloc, int index, int length) {
        if (length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        int ci = chunks.toComponentIndex(index);
        int offset = index - chunks.toByteIndex(ci);
        ByteBuf first = chunks.internalComponent(ci);
        if (first.readableBytes() - offset >= length) {
            return first.retainedSlice(first.readerIndex() + offset, length);
        }
        if (chunks.toComponentIndex(index + length - 1) - ci >= MAX_VIEW_CHUNKS) {
            ByteBuf copy = alloc.directBuffer(length, length);
            chunks.getBytes(index, copy, length);
            return copy;
        }
        List<ByteBuf> parts = new ArrayList<>(4);
        int remaining = length;
        while (remaining > 0) {
            ByteBuf c = chunks.internalComponent(ci++);
            int n = Math.min(c.readableBytes() - offset, remaining);
            parts.add(c.retainedSlice(c.readerIndex() + offset, n));
            remaining -= n;
            offset = 0;
        }
        CompositeByteBuf joined = alloc.compositeBuffer(parts.size());
        joined.addComponents(true, parts);
        return joined;
    }
}
