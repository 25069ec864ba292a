package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SUBSCRIBE_OK (0x4): the publisher accepts a SUBSCRIBE and assigns the Track Alias its data
 * streams carry. {@code requestId} exists on drafts 14-16 (0 when decoded on 17+); {@code trackProperties}
 * (16+: Track Extensions / Track Properties) are kept as raw bytes and passed through. Draft 14's inline
 * Expires, Group Order and Largest Location are folded into {@code parameters} ({@link SubscribeOkBody}).
 */
public record SubscribeOk(long requestId, long trackAlias, Parameters parameters, Octets trackProperties)
        implements IetfMessage {
    public static final long TYPE = 0x4;

    public SubscribeOk {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trackProperties, "trackProperties");
    }

    /** The LARGEST_OBJECT, if the track has content. */
    public java.util.Optional<Location> largest() {
        return parameters.location(MessageParameter.LARGEST_OBJECT);
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static SubscribeOk decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        SubscribeOkBody s = SubscribeOkBody.decode(b, v);
        return new SubscribeOk(s.requestId(), s.trackAlias(), s.parameters(), s.trackProperties());
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        new SubscribeOkBody(requestId, trackAlias, parameters, trackProperties).encode(out, v);
    }
}
