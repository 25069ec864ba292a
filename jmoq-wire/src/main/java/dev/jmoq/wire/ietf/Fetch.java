package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * FETCH (0x16): past objects of a track. Fields: Request ID, [Required Request ID Delta (17)],
 * [draft 14: Subscriber Priority (8), Group Order (8)], Fetch Type, then for a standalone fetch (type
 * 1) Track Namespace, Track Name, [Start and End Location (14-19; on 20 the range is a LOCATION_FILTER
 * parameter)], or for a joining fetch (2 relative, 3 absolute) Joining Request ID, [Joining Start
 * (14-19)], then Parameters. Fields a type does not use are null / 0. Draft 14's inline fields come
 * back as SUBSCRIBER_PRIORITY and GROUP_ORDER parameters.
 */
public record Fetch(long requestId, long fetchType, TrackNamespace namespace, Octets trackName, Location start,
        Location end, long joiningRequestId, long joiningStart, Parameters parameters, long requiredRequestIdDelta)
        implements IetfMessage {
    public static final long TYPE = 0x16;
    public static final long STANDALONE = 0x1;
    public static final long RELATIVE_JOINING = 0x2;
    public static final long ABSOLUTE_JOINING = 0x3;
    private static final long[] INLINE = {MessageParameter.SUBSCRIBER_PRIORITY, MessageParameter.GROUP_ORDER};

    public Fetch {
        Objects.requireNonNull(parameters, "parameters");
        if (fetchType == STANDALONE) {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(trackName, "trackName");
        } else if (fetchType != RELATIVE_JOINING && fetchType != ABSOLUTE_JOINING) {
            throw new IllegalArgumentException("unknown fetch type " + fetchType);
        }
    }

    /** A standalone fetch of [start, end] (drafts 14-19; on 20 pass null locations and a LOCATION_FILTER). */
    public static Fetch standalone(long requestId, TrackNamespace ns, Octets name, Location start, Location end,
            Parameters ps) {
        return new Fetch(requestId, STANDALONE, ns, name, start, end, 0, 0, ps, 0);
    }

    /** A joining fetch (type 2 relative or 3 absolute) bound to subscription {@code joiningRequestId}. */
    public static Fetch joining(long requestId, long fetchType, long joiningRequestId, long joiningStart, Parameters ps) {
        return new Fetch(requestId, fetchType, null, null, null, null, joiningRequestId, joiningStart, ps, 0);
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static Fetch decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = Wire.varint(b, v, "request id");
        long delta = v.hasRequiredRequestIdDelta() ? Wire.varint(b, v, "required request id delta") : 0;
        int priority = 0;
        int order = 0;
        if (v.hasInlineSubscriptionFields()) {
            priority = Wire.u8(b, "subscriber priority");
            order = Wire.u8(b, "group order");
        }
        long type = Wire.varint(b, v, "fetch type");
        TrackNamespace ns = null;
        Octets name = null;
        Location start = null;
        Location end = null;
        long joiningId = 0;
        long joiningStart = 0;
        if (type == STANDALONE) {
            ns = Wire.namespace(b, v);
            name = Wire.trackName(b, v, ns);
            if (!v.hasFetchRangeParameters()) {
                start = Wire.location(b, v, "start");
                end = Wire.location(b, v, "end");
            }
        } else if (type == RELATIVE_JOINING || type == ABSOLUTE_JOINING) {
            joiningId = Wire.varint(b, v, "joining request id");
            if (!v.hasFetchRangeParameters()) {
                joiningStart = Wire.varint(b, v, "joining start");
            }
        } else {
            throw Wire.malformed("unknown fetch type " + type);
        }
        Parameters ps = ParameterCodec.readMessage(b, v);
        if (v.hasInlineSubscriptionFields()) {
            ps = Inline.merge(List.of(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, priority),
                    new Parameter.Int(MessageParameter.GROUP_ORDER, order)), ps);
        }
        return new Fetch(id, type, ns, name, start, end, joiningId, joiningStart, ps, delta);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
        if (v.hasRequiredRequestIdDelta()) {
            Wire.writeVarint(out, v, requiredRequestIdDelta);
        }
        if (v.hasInlineSubscriptionFields()) {
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.SUBSCRIBER_PRIORITY, 128), "priority"));
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.GROUP_ORDER, 0), "group order"));
        }
        Wire.writeVarint(out, v, fetchType);
        if (fetchType == STANDALONE) {
            Wire.writeNamespace(out, v, namespace);
            Wire.writeOctets(out, v, trackName);
            if (!v.hasFetchRangeParameters()) {
                Wire.writeLocation(out, v, Objects.requireNonNull(start, "start"));
                Wire.writeLocation(out, v, Objects.requireNonNull(end, "end"));
            }
        } else {
            Wire.writeVarint(out, v, joiningRequestId);
            if (!v.hasFetchRangeParameters()) {
                Wire.writeVarint(out, v, joiningStart);
            }
        }
        ParameterCodec.writeMessage(out, v, v.hasInlineSubscriptionFields() ? Inline.rest(parameters, INLINE) : parameters);
    }
}
