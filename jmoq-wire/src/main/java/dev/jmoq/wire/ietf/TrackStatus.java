package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * TRACK_STATUS (0xD): ask for a track's status without subscribing; same layout as SUBSCRIBE
 * (draft 14+ "TRACK_STATUS"). Answered by TRACK_STATUS_OK (draft 14) or REQUEST_OK (15+).
 */
public record TrackStatus(long requestId, TrackNamespace namespace, Octets trackName, Parameters parameters,
        long requiredRequestIdDelta) implements IetfMessage {
    public static final long TYPE = 0xD;

    public TrackStatus {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(trackName, "trackName");
        Objects.requireNonNull(parameters, "parameters");
    }

    public TrackStatus(long requestId, TrackNamespace namespace, Octets trackName, Parameters parameters) {
        this(requestId, namespace, trackName, parameters, 0);
    }

    /** The subscriber priority (0..255), 128 when absent. */
    public int subscriberPriority() {
        return (int) parameters.number(MessageParameter.SUBSCRIBER_PRIORITY).orElse(128);
    }

    /** The filter; an absent LOCATION_FILTER means unfiltered ({@link SubscriptionFilter#NONE}, drafts 15+). */
    public SubscriptionFilter filter() {
        return parameters.filter().orElse(SubscriptionFilter.NONE);
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static TrackStatus decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        SubscribeBody s = SubscribeBody.decode(b, v);
        return new TrackStatus(s.requestId(), s.namespace(), s.trackName(), s.parameters(), s.requiredRequestIdDelta());
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        new SubscribeBody(requestId, namespace, trackName, parameters, requiredRequestIdDelta).encode(out, v);
    }
}
