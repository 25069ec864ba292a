package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * PUBLISH (0x1D): a publisher offers a track unasked. Fields: Request ID, [Required Request ID Delta
 * (17)], Track Namespace, Track Name, Track Alias, [draft 14: Group Order (8), Content Exists (8),
 * [Largest Location], Forward (8)], Parameters, [Track Properties to the end (16+), raw]. Draft 14's
 * inline fields come back as GROUP_ORDER, LARGEST_OBJECT (absent when no content) and FORWARD.
 */
public record Publish(long requestId, TrackNamespace namespace, Octets trackName, long trackAlias,
        Parameters parameters, Octets trackProperties, long requiredRequestIdDelta) implements IetfMessage {
    public static final long TYPE = 0x1D;
    private static final long[] INLINE = {MessageParameter.GROUP_ORDER, MessageParameter.LARGEST_OBJECT,
            MessageParameter.FORWARD};

    public Publish {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(trackName, "trackName");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trackProperties, "trackProperties");
    }

    public Publish(long requestId, TrackNamespace namespace, Octets trackName, long trackAlias, Parameters parameters,
            Octets trackProperties) {
        this(requestId, namespace, trackName, trackAlias, parameters, trackProperties, 0);
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static Publish decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = Wire.varint(b, v, "request id");
        long delta = v.hasRequiredRequestIdDelta() ? Wire.varint(b, v, "required request id delta") : 0;
        TrackNamespace ns = Wire.namespace(b, v);
        Octets name = Wire.trackName(b, v, ns);
        long alias = Wire.varint(b, v, "track alias");
        Parameters ps;
        if (v.hasInlineSubscriptionFields()) {
            int order = Wire.u8(b, "group order");
            boolean exists = Wire.bool(b, "content exists");
            List<Parameter> inline = new ArrayList<>(3);
            Location largest = exists ? Wire.location(b, v, "largest") : null;
            boolean forward = Wire.bool(b, "forward");
            inline.add(new Parameter.Int(MessageParameter.FORWARD, forward ? 1 : 0));
            if (largest != null) {
                inline.add(0, new Parameter.At(MessageParameter.LARGEST_OBJECT, largest));
            }
            inline.add(new Parameter.Int(MessageParameter.GROUP_ORDER, order));
            ps = Inline.merge(inline, ParameterCodec.readMessage(b, v));
        } else {
            ps = ParameterCodec.readMessage(b, v);
        }
        Octets props = v.hasTrackProperties() ? Wire.restSkipping(b) : Octets.EMPTY;
        return new Publish(id, ns, name, alias, ps, props, delta);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
        if (v.hasRequiredRequestIdDelta()) {
            Wire.writeVarint(out, v, requiredRequestIdDelta);
        }
        Wire.writeNamespace(out, v, namespace);
        Wire.writeOctets(out, v, trackName);
        Wire.writeVarint(out, v, trackAlias);
        if (v.hasInlineSubscriptionFields()) {
            out.writeByte(Wire.checkU8((int) Inline.number(parameters, MessageParameter.GROUP_ORDER, 1), "group order"));
            var largest = parameters.location(MessageParameter.LARGEST_OBJECT);
            out.writeByte(largest.isPresent() ? 1 : 0);
            largest.ifPresent(l -> Wire.writeLocation(out, v, l));
            out.writeByte(Inline.number(parameters, MessageParameter.FORWARD, 1) != 0 ? 1 : 0);
            ParameterCodec.writeMessage(out, v, Inline.rest(parameters, INLINE));
        } else {
            ParameterCodec.writeMessage(out, v, parameters);
        }
        if (v.hasTrackProperties()) {
            out.writeBytes(trackProperties.array());
        }
    }
}
