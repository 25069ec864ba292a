package dev.jmoq.wire.lite;

import dev.jmoq.wire.ChunkSlices;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.ZigZag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Incremental reader of one moq-lite group stream (GROUP header, then frames until FIN) or of a
 * draft 05 fetch response (frames only). Feed it the bytes after the uni stream type as they arrive;
 * it yields the header once, then each frame's payload as a retained slice of the received buffers
 * (no copy, also when a payload spans a few chunks). A payload spread over more than
 * {@value #MAX_VIEW_CHUNKS} chunks is copied into one buffer instead: a QUIC stream delivers about one
 * packet's worth of bytes per read, so a 1 MiB frame arrives in some 900 chunks, and as a view of them
 * it would cost more than the copy (Netty's QUIC stream send walks every component of a buffer again
 * at each send attempt, and the group cache would hold 900 small buffers for one frame).
 *
 * <p>Not thread-safe: one stream, one event loop. Buffer ownership: {@link #feed} takes ownership of
 * each chunk; each {@link Frame} payload belongs to the caller; {@link #close} releases whatever is
 * still buffered. Frame sizes above the configured maximum fail before their payload is awaited.
 */
public final class GroupStreamDecoder implements AutoCloseable {
    /** Payloads spread over more received chunks than this are copied into one buffer. */
    public static final int MAX_VIEW_CHUNKS = ChunkSlices.MAX_VIEW_CHUNKS;

    private final LiteVersion version;
    private final int maxFrameSize;
    private final boolean expectHeader;
    private final ByteBufAllocator alloc;
    private final CompositeByteBuf buffered;
    private GroupHeader header;
    private long previousTimestamp;
    private boolean closed;

    private GroupStreamDecoder(ByteBufAllocator alloc, LiteVersion version, int maxFrameSize, boolean expectHeader) {
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("maxFrameSize must be >= 0: " + maxFrameSize);
        }
        this.alloc = alloc;
        this.version = version;
        this.maxFrameSize = maxFrameSize;
        this.expectHeader = expectHeader;
        // No consolidation: merging components would copy payload bytes.
        this.buffered = alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    /** A decoder for a group stream: GROUP header, then frames. */
    public static GroupStreamDecoder forGroupStream(ByteBufAllocator alloc, LiteVersion version, int maxFrameSize) {
        return new GroupStreamDecoder(alloc, version, maxFrameSize, true);
    }

    /** A decoder for a fetch response: frames only, in the draft's frame format. */
    public static GroupStreamDecoder forFetchStream(ByteBufAllocator alloc, LiteVersion version, int maxFrameSize) {
        return new GroupStreamDecoder(alloc, version, maxFrameSize, false);
    }

    /** Appends received bytes; takes ownership of {@code chunk}. */
    public void feed(ByteBuf chunk) {
        if (closed) {
            chunk.release();
            throw new IllegalStateException("decoder closed");
        }
        if (!chunk.isReadable()) {
            chunk.release();
            return;
        }
        buffered.addComponent(true, chunk);
    }

    /** Bytes received but not yet decoded. */
    public int bufferedBytes() {
        return buffered.readableBytes();
    }

    /** The header once read, else null. */
    public GroupHeader header() {
        return header;
    }

    /**
     * Reads the GROUP header, or returns null while it is incomplete. Returns the same header on
     * later calls.
     */
    public GroupHeader readHeader() throws ProtocolException {
        if (!expectHeader) {
            throw new IllegalStateException("fetch streams have no GROUP header");
        }
        if (header == null) {
            // A header body is at most two 8-byte varints; anything larger is malformed.
            header = GroupHeader.DECODER.tryDecode(buffered, version, 16);
            buffered.discardReadComponents();
        }
        return header;
    }

    /**
     * Reads the next frame, or returns null (consuming nothing) while it is incomplete. The caller
     * owns the returned frame's payload.
     */
    public Frame readFrame() throws ProtocolException {
        if (expectHeader && header == null) {
            throw new IllegalStateException("read the GROUP header first");
        }
        int at = buffered.readerIndex();
        long delta = 0;
        if (version.hasFrameTimestamps()) {
            int len = varintLength(at);
            if (len < 0) {
                return null;
            }
            delta = VarInt.get(buffered, at);
            at += len;
        }
        int len = varintLength(at);
        if (len < 0) {
            return null;
        }
        long size = VarInt.get(buffered, at);
        at += len;
        if (size > maxFrameSize) {
            throw new ProtocolException(LiteErrorCode.FRAME_TOO_LARGE,
                    "frame size " + size + " exceeds limit " + maxFrameSize, false, ProtocolException.Limit.FRAME_SIZE);
        }
        if (buffered.writerIndex() - at < size) {
            return null;
        }
        long timestamp = Frame.NO_TIMESTAMP;
        if (version.hasFrameTimestamps()) {
            timestamp = previousTimestamp + ZigZag.decode(delta);
            if (timestamp < 0 || timestamp > VarInt.MAX) {
                throw new ProtocolException(LiteErrorCode.BOUNDS_EXCEEDED,
                        "frame timestamp out of range: " + timestamp, false);
            }
            previousTimestamp = timestamp;
        }
        ByteBuf payload = retainedSlice(at, (int) size);
        buffered.readerIndex(at + (int) size);
        buffered.discardReadComponents();
        return new Frame(timestamp, payload);
    }

    /**
     * Call at FIN: a stream that ended before its header or inside a frame is malformed (the
     * stream is reset; the session goes on).
     */
    public void finish() throws ProtocolException {
        if (expectHeader && header == null) {
            throw new ProtocolException(LiteErrorCode.DECODE, "group stream ended before its header", false);
        }
        if (buffered.isReadable()) {
            throw new ProtocolException(LiteErrorCode.DECODE,
                    "group stream ended inside a frame (" + buffered.readableBytes() + " bytes left)", false);
        }
    }

    /** Releases the buffered bytes; frames already returned stay valid. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffered.release();
        }
    }

    /** Length of the varint at {@code index}, or -1 when it is not all here yet. */
    private int varintLength(int index) {
        if (buffered.writerIndex() <= index) {
            return -1;
        }
        int len = 1 << ((buffered.getByte(index) & 0xC0) >>> 6);
        return buffered.writerIndex() - index >= len ? len : -1;
    }

    private ByteBuf retainedSlice(int index, int length) {
        return ChunkSlices.retainedSlice(buffered, alloc, index, length);
    }
}
