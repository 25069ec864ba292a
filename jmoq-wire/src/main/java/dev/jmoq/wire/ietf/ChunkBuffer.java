package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * The received bytes of one data stream, and a cursor that parses ahead of the reader index without
 * consuming (so an incomplete object consumes nothing). Slices of it are retained views of the received
 * chunks, or one copy when a run spans more than {@value #MAX_VIEW_CHUNKS} chunks (a view of hundreds of
 * packet-sized buffers costs more than the copy). Not thread-safe: one stream, one event loop.
 * Ownership: {@link #add} takes each chunk; {@link #release} frees what is left.
 */
final class ChunkBuffer {
    static final int MAX_VIEW_CHUNKS = 16;

    private final ByteBufAllocator alloc;
    private final CompositeByteBuf buffered;
    private final IetfVarInt varint;
    /** Parse position of the cursor (absolute index into {@link #buffered}). */
    int at;
    /** Set when the cursor ran past the received bytes. */
    boolean missing;

    ChunkBuffer(ByteBufAllocator alloc, IetfVarInt varint) {
        this.alloc = alloc;
        this.varint = varint;
        this.buffered = alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    void add(ByteBuf chunk) {
        if (!chunk.isReadable()) {
            chunk.release();
            return;
        }
        buffered.addComponent(true, chunk);
    }

    int readable() {
        return buffered.readableBytes();
    }

    /** Starts parsing at the reader index. */
    void begin() {
        at = buffered.readerIndex();
        missing = false;
    }

    /** Consumes up to the cursor. */
    void commit() {
        buffered.readerIndex(at);
        buffered.discardReadComponents();
    }

    long varint() throws ProtocolException {
        if (missing || at >= buffered.writerIndex()) {
            missing = true;
            return 0;
        }
        int n = varint.length(buffered, at);
        if (buffered.writerIndex() - at < n) {
            missing = true;
            return 0;
        }
        long v = varint.get(buffered, at);
        at += n;
        return v;
    }

    int u8() {
        if (missing || at >= buffered.writerIndex()) {
            missing = true;
            return 0;
        }
        return buffered.getUnsignedByte(at++);
    }

    /** Skips {@code n} bytes, returning their start index, or -1 (and sets missing) when not all here. */
    int skip(long n) {
        if (missing || buffered.writerIndex() - at < n) {
            missing = true;
            return -1;
        }
        int start = at;
        at += (int) n;
        return start;
    }

    /** A retained view (or copy, see class doc) of {@code length} bytes at absolute {@code index}. */
    ByteBuf retainedSlice(int index, int length) {
        if (length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        int ci = buffered.toComponentIndex(index);
        int offset = index - buffered.toByteIndex(ci);
        ByteBuf first = buffered.internalComponent(ci);
        if (first.readableBytes() - offset >= length) {
            return first.retainedSlice(first.readerIndex() + offset, length);
        }
        if (buffered.toComponentIndex(index + length - 1) - ci >= MAX_VIEW_CHUNKS) {
            ByteBuf copy = alloc.directBuffer(length, length);
            buffered.getBytes(index, copy, length);
            return copy;
        }
        List<ByteBuf> parts = new ArrayList<>(4);
        int remaining = length;
        while (remaining > 0) {
            ByteBuf c = buffered.internalComponent(ci++);
            int n = Math.min(c.readableBytes() - offset, remaining);
            parts.add(c.retainedSlice(c.readerIndex() + offset, n));
            remaining -= n;
            offset = 0;
        }
        CompositeByteBuf joined = alloc.compositeBuffer(parts.size());
        joined.addComponents(true, parts);
        return joined;
    }

    void release() {
        buffered.release();
    }
}
