package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Draft 05+: TRACK, the request on a track stream for a track's immutable {@link TrackInfo}. */
public record Track(String broadcast, String track) implements LiteMessage {
    public static final MessageDecoder<Track> DECODER = LiteCodec.sizePrefixed("TRACK", LiteVersion::hasTrackStream,
            (b, v) -> new Track(Fields.string(b, LiteLimits.MAX_STRING, "broadcast"),
                    Fields.string(b, LiteLimits.MAX_STRING, "track")));

    public Track {
        Objects.requireNonNull(broadcast, "broadcast");
        Objects.requireNonNull(track, "track");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasTrackStream();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            Fields.writeString(w, broadcast);
            Fields.writeString(w, track);
        });
    }
}
