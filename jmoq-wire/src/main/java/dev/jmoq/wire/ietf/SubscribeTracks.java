package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SUBSCRIBE_TRACKS (0x51), draft 18+: have the publisher PUBLISH every track under {@code prefix}.
 * Fields: Request ID, Track Namespace Prefix, Parameters.
 */
public record SubscribeTracks(long requestId, TrackNamespace prefix, Parameters parameters) implements IetfMessage {
    public static final long TYPE = 0x51;

    public SubscribeTracks {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(parameters, "parameters");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasSubscribeTracks() ? TYPE : -1;
    }

    public static SubscribeTracks decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new SubscribeTracks(Wire.varint(b, v, "request id"), Wire.namespace(b, v), ParameterCodec.readMessage(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
        Wire.writeNamespace(out, v, prefix);
        ParameterCodec.writeMessage(out, v, parameters);
    }
}
