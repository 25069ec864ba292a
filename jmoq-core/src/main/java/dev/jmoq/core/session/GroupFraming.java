package dev.jmoq.core.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How a protocol frames a group stream: the header that opens it and the header before each frame.
 * Stateless and thread-safe. Returned buffers belong to the caller.
 */
public interface GroupFraming {
    /** The bytes that open a group stream for {@code subscription}'s group {@code sequence}. */
    ByteBuf groupHeader(ByteBufAllocator alloc, long subscription, long sequence);

    /** The bytes before a frame of {@code size} bytes. */
    ByteBuf frameHeader(ByteBufAllocator alloc, int size);
}
