package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * PUBLISH_NAMESPACE (0x6): the sender publishes tracks under {@code namespace}. Fields: Request ID,
 * [Required Request ID Delta (17)], Track Namespace, Parameters.
 */
public record PublishNamespace(long requestId, TrackNamespace namespace, Parameters parameters,
        long requiredRequestIdDelta) implements IetfMessage {
    public static final long TYPE = 0x6;

    public PublishNamespace {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(parameters, "parameters");
    }

    public PublishNamespace(long requestId, TrackNamespace namespace, Parameters parameters) {
        this(requestId, namespace, parameters, 0);
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static PublishNamespace decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = Wire.varint(b, v, "request id");
        long delta = v.hasRequiredRequestIdDelta() ? Wire.varint(b, v, "required request id delta") : 0;
        return new PublishNamespace(id, Wire.namespace(b, v), ParameterCodec.readMessage(b, v), delta);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
        if (v.hasRequiredRequestIdDelta()) {
            Wire.writeVarint(out, v, requiredRequestIdDelta);
        }
        Wire.writeNamespace(out, v, namespace);
        ParameterCodec.writeMessage(out, v, parameters);
    }
}
