package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * NAMESPACE_DONE (0xE), draft 16+: on a SUBSCRIBE_NAMESPACE stream, a namespace announced by
 * NAMESPACE is withdrawn; {@code suffix} is the part after the prefix.
 */
public record NamespaceDone(TrackNamespace suffix) implements IetfMessage {
    public static final long TYPE = 0xE;

    public NamespaceDone {
        Objects.requireNonNull(suffix, "suffix");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasNamespaceMessages() ? TYPE : -1;
    }

    public static NamespaceDone decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new NamespaceDone(Wire.namespace(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeNamespace(out, v, suffix);
    }
}
