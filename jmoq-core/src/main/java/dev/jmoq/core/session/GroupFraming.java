package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * How a protocol frames a group stream: the header that opens it and what goes before each frame's
 * payload. The framing reads what the model carries for the frame (timestamp, object id, extension
 * headers, status: see {@link Group}) and writes what its protocol can say; extension headers are added
 * as retained slices of the received bytes, never re-encoded. Stateless and thread-safe. Returned and
 * added buffers belong to the caller.
 */
public interface GroupFraming {
    /** The bytes that open a group stream for {@code subscription}'s group {@code sequence}. */
    ByteBuf groupHeader(ByteBufAllocator alloc, long subscription, long sequence);

    /**
     * Adds to {@code out} everything that goes before the payload of {@code group}'s frame {@code index}
     * (the caller adds the payload after it). One or two components; the caller holds a reference to the
     * group for the call.
     */
    void frameHeader(CompositeByteBuf out, ByteBufAllocator alloc, Group group, int index);
}
