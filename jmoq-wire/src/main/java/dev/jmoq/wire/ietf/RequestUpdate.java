package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE_UPDATE (drafts 14-15) / REQUEST_UPDATE (16+), type 0x2: change an existing
 * subscription (or, 16+, another request). Fields: Request ID, [Existing / Subscription Request ID
 * (14-16; on 17+ the request stream names it, decoded 0)], [Required Request ID Delta (17)],
 * [draft 14: Start Location, End Group, Subscriber Priority (8), Forward (8)], Parameters. Draft 14's
 * inline fields come back as a LOCATION_FILTER of kind ABSOLUTE_RANGE whose {@code endGroup} is the
 * field as sent (draft 14: the end group plus one, 0 = open-ended), and SUBSCRIBER_PRIORITY and FORWARD
 * parameters.
 */
public record RequestUpdate(long requestId, long existingRequestId, Parameters parameters, long requiredRequestIdDelta)
        implements IetfMessage {
    public static final long TYPE = 0x2;
    private static final long[] INLINE = {MessageParameter.LOCATION_FILTER, MessageParameter.SUBSCRIBER_PRIORITY,
            MessageParameter.FORWARD};

    public RequestUpdate {
        Objects.requireNonNull(parameters, "parameters");
    }

    public RequestUpdate(long requestId, long existingRequestId, Parameters parameters) {
        this(requestId, existingRequestId, parameters, 0);
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static RequestUpdate decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = Wire.varint(b, v, "request id");
        long existing = v.hasRequestIdInResponses() ? Wire.varint(b, v, "existing request id") : 0;
        long delta = v.hasRequiredRequestIdDelta() ? Wire.varint(b, v, "required request id delta") : 0;
        Parameters ps;
        if (v.hasInlineSubscriptionFields()) {
            Location start = Wire.location(b, v, "start");
            long endGroup = Wire.varint(b, v, "end group");
            int priority = Wire.u8(b, "subscriber priority");
            boolean forward = Wire.bool(b, "forward");
            ps = Inline.merge(List.of(new Parameter.Int(MessageParameter.FORWARD, forward ? 1 : 0),
                    new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, priority),
                    new Parameter.Filter(MessageParameter.LOCATION_FILTER, SubscriptionFilter.absoluteRange(start, endGroup))),
                    ParameterCodec.readMessage(b, v));
        } else {
            ps = ParameterCodec.readMessage(b, v);
        }
        return new RequestUpdate(id, existing, ps, delta);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
        if (v.hasRequestIdInResponses()) {
            Wire.writeVarint(out, v, existingRequestId);
        }
        if (v.hasRequiredRequestIdDelta()) {
            Wire.writeVarint(out, v, requiredRequestIdDelta);
        }
        if (v.hasInlineSubscriptionFields()) {
            SubscriptionFilter f = parameters.filter().orElse(SubscriptionFilter.absoluteRange(Location.ZERO, 0));
            Wire.writeLocation(out, v, f.start());
            Wire.writeVarint(out, v, f.endGroup());
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.SUBSCRIBER_PRIORITY, 128), "priority"));
            out.writeByte(Inline.number(parameters, MessageParameter.FORWARD, 1) != 0 ? 1 : 0);
            ParameterCodec.writeMessage(out, v, Inline.rest(parameters, INLINE));
        } else {
            ParameterCodec.writeMessage(out, v, parameters);
        }
    }
}
