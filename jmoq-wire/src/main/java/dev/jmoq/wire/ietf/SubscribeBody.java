package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The body SUBSCRIBE and TRACK_STATUS share: Request ID, [Required Request ID Delta (17)], Track
 * Namespace, Track Name, [draft 14: Subscriber Priority (8), Group Order (8), Forward (8), Filter],
 * Parameters. On draft 14 the inline fields come back as SUBSCRIBER_PRIORITY, GROUP_ORDER, FORWARD and
 * LOCATION_FILTER parameters (defaults when sending: 128, 0, 1, unfiltered).
 */
record SubscribeBody(long requestId, TrackNamespace namespace, Octets trackName, Parameters parameters,
        long requiredRequestIdDelta) {

    static final long[] INLINE = {MessageParameter.SUBSCRIBER_PRIORITY, MessageParameter.GROUP_ORDER,
            MessageParameter.FORWARD, MessageParameter.LOCATION_FILTER};

    static SubscribeBody decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = Wire.varint(b, v, "request id");
        long delta = v.hasRequiredRequestIdDelta() ? Wire.varint(b, v, "required request id delta") : 0;
        TrackNamespace ns = Wire.namespace(b, v);
        Octets name = Wire.trackName(b, v, ns);
        Parameters ps;
        if (v.hasInlineSubscriptionFields()) {
            int priority = Wire.u8(b, "subscriber priority");
            int order = Wire.u8(b, "group order");
            boolean forward = Wire.bool(b, "forward");
            SubscriptionFilter filter = SubscriptionFilter.decodeInline(b, v);
            ps = Inline.merge(List.of(new Parameter.Int(MessageParameter.FORWARD, forward ? 1 : 0),
                    new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, priority),
                    new Parameter.Filter(MessageParameter.LOCATION_FILTER, filter),
                    new Parameter.Int(MessageParameter.GROUP_ORDER, order)), ParameterCodec.readMessage(b, v));
        } else {
            ps = ParameterCodec.readMessage(b, v);
        }
        return new SubscribeBody(id, ns, name, ps, delta);
    }

    void encode(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
        if (v.hasRequiredRequestIdDelta()) {
            Wire.writeVarint(out, v, requiredRequestIdDelta);
        }
        Wire.writeNamespace(out, v, namespace);
        Wire.writeOctets(out, v, trackName);
        if (v.hasInlineSubscriptionFields()) {
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.SUBSCRIBER_PRIORITY, 128), "priority"));
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.GROUP_ORDER, 0), "group order"));
            out.writeByte(Inline.number(parameters, MessageParameter.FORWARD, 1) != 0 ? 1 : 0);
            parameters.filter().orElse(SubscriptionFilter.NONE).encodeInline(out, v);
            ParameterCodec.writeMessage(out, v, Inline.rest(parameters, INLINE));
        } else {
            ParameterCodec.writeMessage(out, v, parameters);
        }
    }
}
