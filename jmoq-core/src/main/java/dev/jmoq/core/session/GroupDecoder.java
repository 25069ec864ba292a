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

    /**
     * The object id of the frame {@link #readFrame} last returned, or {@link Group#NEXT_OBJECT} when the
     * stream's frames carry no ids (moq-lite): IETF subgroup objects keep theirs, gaps included.
     */
    default long objectId() {
        return Group.NEXT_OBJECT;
    }

    /**
     * The extension headers of the frame {@link #readFrame} last returned, as received, or null; ownership
     * passes to the caller (call once per frame). IETF objects carry them ("Object Extension Headers" /
     * "Object Properties"); moq-lite frames never do.
     */
    default ByteBuf extensionHeaders() {
        return null;
    }

    /**
     * The {@link dev.jmoq.core.model.ObjectStatus} of the frame {@link #readFrame} last returned: NORMAL
     * unless the stream said otherwise for an empty object (IETF Object Status).
     */
    default int objectStatus() {
        return dev.jmoq.core.model.ObjectStatus.NORMAL;
    }

    /**
     * How the group ended, asked after {@link #finish}: {@link dev.jmoq.core.model.ObjectStatus#END_OF_GROUP},
     * or {@link dev.jmoq.core.model.ObjectStatus#END_OF_TRACK} when the stream's last object said so (IETF).
     */
    default int endStatus() {
        return dev.jmoq.core.model.ObjectStatus.END_OF_GROUP;
    }

    /** The stream ended (FIN): fails when it ended inside a message. */
    void finish() throws ProtocolException;

    /** Frees what is buffered. Idempotent. */
    void close();
}
