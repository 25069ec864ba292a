package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * PUBLISH_BLOCKED (0xF, draft 17-18) / PUBLISH_SKIPPED (0xF, 19+): on a SUBSCRIBE_NAMESPACE
 * (17) or SUBSCRIBE_TRACKS (18+) stream, a track under the prefix that was not PUBLISHed (for
 * instance over the request limit). Fields: Track Namespace Suffix, Track Name.
 */
public record PublishBlocked(TrackNamespace suffix, Octets trackName) implements IetfMessage {
    public static final long TYPE = 0xF;

    public PublishBlocked {
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(trackName, "trackName");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasRequestStreams() ? TYPE : -1;
    }

    public static PublishBlocked decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        TrackNamespace ns = Wire.namespace(b, v);
        return new PublishBlocked(ns, Wire.trackName(b, v, ns));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeNamespace(out, v, suffix);
        Wire.writeOctets(out, v, trackName);
    }
}
