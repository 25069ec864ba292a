package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How a protocol frames a group stream (and a FETCH answer, which is the same frames without the group
 * header): the header that opens it and the header before each frame. A frame header reads what the model
 * carries for the frame ({@link Group#timestamp} and the other frame extras) and writes what its protocol
 * can say. Thread-safe; a {@link FrameHeaders} from {@link #frames} belongs to one stream. Returned buffers
 * belong to the caller.
 */
public interface GroupFraming {
    /** The bytes that open a group stream for {@code subscription}'s group {@code sequence}. */
    ByteBuf groupHeader(ByteBufAllocator alloc, long subscription, long sequence);

    /**
     * The bytes that open a group stream for {@code subscription}'s {@code group}, asked once the group has
     * a frame or has ended (so a framing can choose its header by what the group's first frame carries:
     * IETF's header type with extension headers). Defaults to {@link #groupHeader(ByteBufAllocator, long, long)}.
     */
    default ByteBuf groupHeader(ByteBufAllocator alloc, long subscription, Group group) {
        return groupHeader(alloc, subscription, group.sequence());
    }

    /** The bytes before a frame of {@code size} bytes, for framings whose frame headers carry no state. */
    ByteBuf frameHeader(ByteBufAllocator alloc, int size);

    /**
     * The frame headers of one stream carrying {@code group}: framings whose headers depend on the frame
     * (moq-lite-05's timestamp deltas) return a fresh writer; the default writes {@link #frameHeader}.
     */
    default FrameHeaders frames(Group group) {
        return (alloc, index, size) -> frameHeader(alloc, size);
    }

    /** True when this framing can send a group's objects as datagrams ({@link #datagram}). */
    default boolean supportsDatagrams() {
        return false;
    }

    /**
     * True when one datagram carries a whole group of exactly one frame (moq-lite-05), false when each
     * object of a group is its own datagram (IETF OBJECT_DATAGRAM). A whole-group framing is asked for a
     * group's datagram once the group has ended with one frame; any other datagram group goes on a stream.
     */
    default boolean datagramCarriesWholeGroup() {
        return false;
    }

    /**
     * Object {@code index} of {@code subscription}'s {@code group} as one whole datagram (IETF OBJECT_DATAGRAM:
     * header and payload, copied), with the end-of-group marker when {@code endOfGroup}; null when the
     * protocol cannot say this object and it is skipped. With {@link #datagramCarriesWholeGroup()}: the
     * ended one-frame group as one datagram, or null when it is not eligible and goes on a stream. Only
     * called when {@link #supportsDatagrams()}.
     */
    default ByteBuf datagram(ByteBufAllocator alloc, long subscription, Group group, int index, boolean endOfGroup) {
        throw new UnsupportedOperationException("no datagrams in this framing");
    }

    /** The frame headers of one group stream, in frame order. Not thread-safe: one per stream. */
    @FunctionalInterface
    interface FrameHeaders {
        /**
         * The bytes before frame {@code index} (of {@code size} bytes) of the stream's group, or null when
         * the protocol cannot say this frame and it is skipped (moq-lite has no status-only objects).
         */
        ByteBuf frameHeader(ByteBufAllocator alloc, int index, int size);
    }
}
