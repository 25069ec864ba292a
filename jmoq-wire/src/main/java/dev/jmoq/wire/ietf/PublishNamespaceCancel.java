package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * PUBLISH_NAMESPACE_CANCEL (0xC), drafts 14-16: the receiver of a PUBLISH_NAMESPACE no longer
 * accepts it. Named by namespace on 14-15 ({@code requestId} decodes 0), by Request ID on 16
 * ({@code namespace} decodes empty); then Error Code ({@link RequestErrorCode}) and Reason Phrase.
 */
public record PublishNamespaceCancel(long requestId, TrackNamespace namespace, long errorCode, String reason)
        implements IetfMessage {
    public static final long TYPE = 0xC;

    public PublishNamespaceCancel {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasCancelMessages() ? TYPE : -1;
    }

    public static PublishNamespaceCancel decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = 0;
        TrackNamespace ns = TrackNamespace.EMPTY;
        if (v.hasPublishNamespaceCancelByNamespace()) {
            ns = Wire.namespace(b, v);
        } else {
            id = Wire.varint(b, v, "request id");
        }
        return new PublishNamespaceCancel(id, ns, Wire.varint(b, v, "error code"), Wire.reason(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasPublishNamespaceCancelByNamespace()) {
            Wire.writeNamespace(out, v, namespace);
        } else {
            Wire.writeVarint(out, v, requestId);
        }
        Wire.writeVarint(out, v, errorCode);
        Wire.writeReason(out, v, reason);
    }
}
