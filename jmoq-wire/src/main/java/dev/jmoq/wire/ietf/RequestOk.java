package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * An accepted request without a message of its own. Draft 15+: REQUEST_OK (0x7) answers
 * PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE, TRACK_STATUS, REQUEST_UPDATE (and PUBLISH from 18).
 * Draft 14: PUBLISH_NAMESPACE_OK (0x7) or SUBSCRIBE_NAMESPACE_OK (0x12), chosen by {@code kind},
 * carrying only the Request ID. Fields: [Request ID (14-16)], [Parameters (15+)], [Track Properties to
 * the end (18+), raw]. Decoding on 15+ yields kind {@link RequestKind#ANY}.
 */
public record RequestOk(RequestKind kind, long requestId, Parameters parameters, Octets trackProperties)
        implements IetfMessage {
    public static final long TYPE = 0x7;

    public RequestOk {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trackProperties, "trackProperties");
    }

    public RequestOk(RequestKind kind, long requestId) {
        this(kind, requestId, Parameters.EMPTY, Octets.EMPTY);
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasUnifiedResponses() ? TYPE : kind.okType14();
    }

    public static RequestOk decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return decode(b, v, RequestKind.ANY);
    }

    static RequestOk decode(ByteBuf b, IetfVersion v, RequestKind kind) throws ProtocolException {
        long id = v.hasRequestIdInResponses() ? Wire.varint(b, v, "request id") : 0;
        Parameters ps = v.hasUnifiedResponses() ? ParameterCodec.readMessage(b, v) : Parameters.EMPTY;
        Octets props = v.hasRequestOkTrackProperties() ? Wire.restSkipping(b) : Octets.EMPTY;
        return new RequestOk(kind, id, ps, props);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (type(v) < 0) {
            throw new IllegalArgumentException("draft 14 has no OK message for " + kind);
        }
        if (v.hasRequestIdInResponses()) {
            Wire.writeVarint(out, v, requestId);
        }
        if (v.hasUnifiedResponses()) {
            ParameterCodec.writeMessage(out, v, parameters);
        }
        if (v.hasRequestOkTrackProperties()) {
            out.writeBytes(trackProperties.array());
        }
    }
}
