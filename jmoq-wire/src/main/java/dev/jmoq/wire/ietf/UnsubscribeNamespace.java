package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * UNSUBSCRIBE_NAMESPACE (0x14), drafts 14-15: end a SUBSCRIBE_NAMESPACE, named by its prefix on 14
 * ({@code requestId} decodes 0) and by its Request ID on 15 ({@code prefix} decodes empty). Draft 16+
 * closes the request stream.
 */
public record UnsubscribeNamespace(long requestId, TrackNamespace prefix) implements IetfMessage {
    public static final long TYPE = 0x14;

    public UnsubscribeNamespace {
        Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasUnsubscribeNamespace() ? TYPE : -1;
    }

    public static UnsubscribeNamespace decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        if (v.hasUnsubscribeNamespaceByRequestId()) {
            return new UnsubscribeNamespace(Wire.varint(b, v, "request id"), TrackNamespace.EMPTY);
        }
        return new UnsubscribeNamespace(0, Wire.namespace(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasUnsubscribeNamespaceByRequestId()) {
            Wire.writeVarint(out, v, requestId);
        } else {
            Wire.writeNamespace(out, v, prefix);
        }
    }
}
