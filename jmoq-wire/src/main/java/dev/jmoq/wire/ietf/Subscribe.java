package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SUBSCRIBE (0x3): subscribe to a track. From draft 15 the subscriber priority, group order,
 * forward state and filter are parameters (inline on draft 14, folded into {@code parameters} here; see
 * {@link SubscribeBody}). {@code requiredRequestIdDelta} exists on draft 17 only. Draft 14+ "SUBSCRIBE".
 */
public record Subscribe(long requestId, TrackNamespace namespace, Octets trackName, Parameters parameters,
        long requiredRequestIdDelta) implements IetfMessage {
    public static final long TYPE = 0x3;

    public Subscribe {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(trackName, "trackName");
        Objects.requireNonNull(parameters, "parameters");
    }

    public Subscribe(long requestId, TrackNamespace namespace, Octets trackName, Parameters parameters) {
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

    public static Subscribe decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        SubscribeBody s = SubscribeBody.decode(b, v);
        return new Subscribe(s.requestId(), s.namespace(), s.trackName(), s.parameters(), s.requiredRequestIdDelta());
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        new SubscribeBody(requestId, namespace, trackName, parameters, requiredRequestIdDelta).encode(out, v);
    }
}
