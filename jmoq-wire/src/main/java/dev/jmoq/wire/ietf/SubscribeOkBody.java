package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The body SUBSCRIBE_OK and draft 14's TRACK_STATUS_OK share: [Request ID (14-16)], Track Alias,
 * [draft 14: Expires, Group Order (8), Content Exists (8), [Largest Location]], Parameters, [Track
 * Properties to the end (16+)]. Draft 14's inline fields come back as EXPIRES, GROUP_ORDER and
 * LARGEST_OBJECT (absent when no content) parameters.
 */
record SubscribeOkBody(long requestId, long trackAlias, Parameters parameters, Octets trackProperties) {

    static final long[] INLINE = {MessageParameter.EXPIRES, MessageParameter.LARGEST_OBJECT, MessageParameter.GROUP_ORDER};

    static SubscribeOkBody decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = v.hasRequestIdInResponses() ? Wire.varint(b, v, "request id") : 0;
        long alias = Wire.varint(b, v, "track alias");
        Parameters ps;
        if (v.hasInlineSubscriptionFields()) {
            long expires = Wire.varint(b, v, "expires");
            int order = Wire.u8(b, "group order");
            boolean exists = Wire.bool(b, "content exists");
            List<Parameter> inline = new ArrayList<>(3);
            inline.add(new Parameter.Int(MessageParameter.EXPIRES, expires));
            if (exists) {
                inline.add(new Parameter.At(MessageParameter.LARGEST_OBJECT, Wire.location(b, v, "largest")));
            }
            inline.add(new Parameter.Int(MessageParameter.GROUP_ORDER, order));
            ps = Inline.merge(inline, ParameterCodec.readMessage(b, v));
        } else {
            ps = ParameterCodec.readMessage(b, v);
        }
        Octets props = v.hasTrackProperties() ? Wire.restSkipping(b) : Octets.EMPTY;
        return new SubscribeOkBody(id, alias, ps, props);
    }

    void encode(ByteBuf out, IetfVersion v) {
        if (v.hasRequestIdInResponses()) {
            Wire.writeVarint(out, v, requestId);
        }
        Wire.writeVarint(out, v, trackAlias);
        if (v.hasInlineSubscriptionFields()) {
            Wire.writeVarint(out, v, Inline.number(parameters, MessageParameter.EXPIRES, 0));
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.GROUP_ORDER, 1), "group order"));
            var largest = parameters.location(MessageParameter.LARGEST_OBJECT);
            out.writeByte(largest.isPresent() ? 1 : 0);
            largest.ifPresent(l -> Wire.writeLocation(out, v, l));
            ParameterCodec.writeMessage(out, v, Inline.rest(parameters, INLINE));
        } else {
            ParameterCodec.writeMessage(out, v, parameters);
        }
        if (v.hasTrackProperties()) {
            out.writeBytes(trackProperties.array());
        }
    }
}
