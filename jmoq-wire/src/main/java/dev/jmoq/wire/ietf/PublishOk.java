package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * PUBLISH_OK (0x1E), drafts 14-17: the subscriber accepts a PUBLISH (18+ answers with REQUEST_OK).
 * Fields: [Request ID (14-16)], [draft 14: Forward (8), Subscriber Priority (8), Group Order (8),
 * Filter], Parameters. Draft 14's inline fields come back as FORWARD, SUBSCRIBER_PRIORITY,
 * LOCATION_FILTER and GROUP_ORDER parameters.
 */
public record PublishOk(long requestId, Parameters parameters) implements IetfMessage {
    public static final long TYPE = 0x1E;

    public PublishOk {
        Objects.requireNonNull(parameters, "parameters");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasPublishOk() ? TYPE : -1;
    }

    public static PublishOk decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = v.hasRequestIdInResponses() ? Wire.varint(b, v, "request id") : 0;
        if (!v.hasInlineSubscriptionFields()) {
            return new PublishOk(id, ParameterCodec.readMessage(b, v));
        }
        boolean forward = Wire.bool(b, "forward");
        int priority = Wire.u8(b, "subscriber priority");
        int order = Wire.u8(b, "group order");
        SubscriptionFilter filter = SubscriptionFilter.decodeInline(b, v);
        return new PublishOk(id, Inline.merge(List.of(new Parameter.Int(MessageParameter.FORWARD, forward ? 1 : 0),
                new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, priority),
                new Parameter.Filter(MessageParameter.LOCATION_FILTER, filter),
                new Parameter.Int(MessageParameter.GROUP_ORDER, order)), ParameterCodec.readMessage(b, v)));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasRequestIdInResponses()) {
            Wire.writeVarint(out, v, requestId);
        }
        if (v.hasInlineSubscriptionFields()) {
            out.writeByte(Inline.number(parameters, MessageParameter.FORWARD, 1) != 0 ? 1 : 0);
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.SUBSCRIBER_PRIORITY, 128), "priority"));
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.GROUP_ORDER, 0), "group order"));
            parameters.filter().orElse(SubscriptionFilter.NONE).encodeInline(out, v);
            ParameterCodec.writeMessage(out, v, Inline.rest(parameters, SubscribeBody.INLINE));
        } else {
            ParameterCodec.writeMessage(out, v, parameters);
        }
    }
}
