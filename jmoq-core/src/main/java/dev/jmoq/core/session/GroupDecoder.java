package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * A protocol family's decoder of one incoming group stream: the stream's type and header, then its
 * frames. {@link GroupIngest} drives it and owns everything model-side; the family owns the bytes.
 *
 * <p>Not thread-safe: one per stream, on the connection's event loop. Buffers: {@link #feed} takes
 * ownership of each chunk; a returned frame belongs to the caller; {@link #close()} frees the rest.
 * A {@link ProtocolException} carries the family's code for the stream.
 */
public interface GroupDecoder {
    /** Adds received bytes (ownership passes to the decoder). */
    void feed(ByteBuf chunk) throws ProtocolException;

    /** The stream's header once it is complete, else null (more bytes needed). Once complete, call no more. */
    IncomingGroup readHeader() throws ProtocolException;

    /**
     * The header was routed and {@code group} created for it; frames read from here on go into it. The
     * default does nothing (moq-lite-05 keeps its frames' timestamps beside the group).
     */
    default void accepted(Group group) {
    }

    /** The next complete frame's payload, a retained slice of the received bytes, or null. */
    ByteBuf readFrame() throws ProtocolException;

    /** The stream ended (FIN): fails when it ended inside a message. */
    void finish() throws ProtocolException;

    /** Frees what is buffered. Idempotent. */
    void close();
}
