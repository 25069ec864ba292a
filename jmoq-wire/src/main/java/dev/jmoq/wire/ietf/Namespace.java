package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * NAMESPACE (0x8), draft 16+: on a SUBSCRIBE_NAMESPACE stream, a namespace under the prefix is
 * published; {@code suffix} is the part after the prefix.
 */
public record Namespace(TrackNamespace suffix) implements IetfMessage {
    public static final long TYPE = 0x8;

    public Namespace {
        Objects.requireNonNull(suffix, "suffix");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasNamespaceMessages() ? TYPE : -1;
    }

    public static Namespace decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new Namespace(Wire.namespace(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeNamespace(out, v, suffix);
    }
}
