package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ChunkSlices;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The received bytes of one data stream, and a cursor that parses ahead of the reader index without
 * consuming (so an incomplete object consumes nothing). Slices of it are retained views of the received
 * chunks, or one copy when a run spans many chunks ({@link ChunkSlices}). Not thread-safe: one stream, one event loop.
 * Ownership: {@link #add} takes each chunk; {@link #release} frees what is left.
 */
final class ChunkBuffer {
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

    /** A retained view (or copy, see {@link ChunkSlices}) of {@code length} bytes at absolute {@code index}. */
    ByteBuf retainedSlice(int index, int length) {
        return ChunkSlices.retainedSlice(buffered, alloc, index, length);
    }

    void release() {
        buffered.release();
    }
}
