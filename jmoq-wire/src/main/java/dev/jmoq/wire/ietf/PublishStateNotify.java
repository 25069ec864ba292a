package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * PUBLISH_STATE_NOTIFY (0x22), draft 20: on a subscription's request stream, the publisher reports
 * state now in effect (LARGEST_OBJECT, LOCATION_FILTER, FORWARD ...) as Parameters.
 */
public record PublishStateNotify(Parameters parameters) implements IetfMessage {
    public static final long TYPE = 0x22;

    public PublishStateNotify {
        Objects.requireNonNull(parameters, "parameters");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasPublishStateNotify() ? TYPE : -1;
    }

    public static PublishStateNotify decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new PublishStateNotify(ParameterCodec.readMessage(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        ParameterCodec.writeMessage(out, v, parameters);
    }
}
