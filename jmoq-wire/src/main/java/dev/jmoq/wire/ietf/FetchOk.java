package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * FETCH_OK (0x18): the fetch is accepted; objects follow on a FETCH_HEADER stream. Fields: [Request ID
 * (14-16)], [draft 14: Group Order (8), folded into GROUP_ORDER], End Of Track (8), End Location,
 * Parameters, [Track Properties to the end (16+), raw].
 */
public record FetchOk(long requestId, boolean endOfTrack, Location endLocation, Parameters parameters,
        Octets trackProperties) implements IetfMessage {
    public static final long TYPE = 0x18;
    private static final long[] INLINE = {MessageParameter.GROUP_ORDER};

    public FetchOk {
        Objects.requireNonNull(endLocation, "endLocation");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trackProperties, "trackProperties");
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static FetchOk decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = v.hasRequestIdInResponses() ? Wire.varint(b, v, "request id") : 0;
        int order = v.hasInlineSubscriptionFields() ? Wire.u8(b, "group order") : 0;
        boolean eot = Wire.bool(b, "end of track");
        Location end = Wire.location(b, v, "end location");
        Parameters ps = ParameterCodec.readMessage(b, v);
        if (v.hasInlineSubscriptionFields()) {
            ps = Inline.merge(List.of(new Parameter.Int(MessageParameter.GROUP_ORDER, order)), ps);
        }
        Octets props = v.hasTrackProperties() ? Wire.restSkipping(b) : Octets.EMPTY;
        return new FetchOk(id, eot, end, ps, props);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasRequestIdInResponses()) {
            Wire.writeVarint(out, v, requestId);
        }
        if (v.hasInlineSubscriptionFields()) {
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.GROUP_ORDER, 1), "group order"));
        }
        out.writeByte(endOfTrack ? 1 : 0);
        Wire.writeLocation(out, v, endLocation);
        ParameterCodec.writeMessage(out, v, v.hasInlineSubscriptionFields() ? Inline.rest(parameters, INLINE) : parameters);
        if (v.hasTrackProperties()) {
            out.writeBytes(trackProperties.array());
        }
    }
}
