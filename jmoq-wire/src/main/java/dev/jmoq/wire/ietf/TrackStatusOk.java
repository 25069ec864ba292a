package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * TRACK_STATUS_OK (0xE), draft 14 only: the answer to TRACK_STATUS, laid out as SUBSCRIBE_OK with
 * Track Alias 0. Drafts 15+ answer TRACK_STATUS with REQUEST_OK.
 */
public record TrackStatusOk(long requestId, long trackAlias, Parameters parameters, Octets trackProperties)
        implements IetfMessage {
    public static final long TYPE = 0xE;

    public TrackStatusOk {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trackProperties, "trackProperties");
    }

    /** The LARGEST_OBJECT, if the track has content. */
    public java.util.Optional<Location> largest() {
        return parameters.location(MessageParameter.LARGEST_OBJECT);
    }

    @Override
    public long type(IetfVersion v) {
        return v == IetfVersion.DRAFT_14 ? TYPE : -1;
    }

    public static TrackStatusOk decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        SubscribeOkBody s = SubscribeOkBody.decode(b, v);
        return new TrackStatusOk(s.requestId(), s.trackAlias(), s.parameters(), s.trackProperties());
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        new SubscribeOkBody(requestId, trackAlias, parameters, trackProperties).encode(out, v);
    }
}
