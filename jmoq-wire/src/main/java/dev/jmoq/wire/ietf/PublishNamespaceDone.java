package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * PUBLISH_NAMESPACE_DONE (0x9), drafts 14-16: the publisher withdraws a namespace, named by the
 * namespace on 14-15 ({@code requestId} decodes 0) and by the Request ID on 16 ({@code namespace}
 * decodes empty). Draft 17+ closes the request stream instead.
 */
public record PublishNamespaceDone(long requestId, TrackNamespace namespace) implements IetfMessage {
    public static final long TYPE = 0x9;

    public PublishNamespaceDone {
        Objects.requireNonNull(namespace, "namespace");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasDoneMessages() ? TYPE : -1;
    }

    public static PublishNamespaceDone decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        if (v.hasPublishNamespaceDoneByNamespace()) {
            return new PublishNamespaceDone(0, Wire.namespace(b, v));
        }
        return new PublishNamespaceDone(Wire.varint(b, v, "request id"), TrackNamespace.EMPTY);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasPublishNamespaceDoneByNamespace()) {
            Wire.writeNamespace(out, v, namespace);
        } else {
            Wire.writeVarint(out, v, requestId);
        }
    }
}
