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

    /** The next complete frame's payload, a retained slice of the received bytes, or null. */
    ByteBuf readFrame() throws ProtocolException;

    /**
     * The timestamp of the frame {@link #readFrame} last returned, in the track's timescale, or
     * {@link Group#NO_TIMESTAMP} when the stream's frames carry none (moq-lite-05 frames do). The ingest
     * stores it in the model with the frame.
     */
    default long timestamp() {
        return Group.NO_TIMESTAMP;
    }

    /** The stream ended (FIN): fails when it ended inside a message. */
    void finish() throws ProtocolException;

    /** Frees what is buffered. Idempotent. */
    void close();
}
