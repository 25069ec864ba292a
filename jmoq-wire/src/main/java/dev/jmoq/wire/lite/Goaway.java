package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Draft 04+: GOAWAY, graceful shutdown with an optional URI to reconnect to (empty = none). */
public record Goaway(String uri) implements LiteMessage {
    public static final MessageDecoder<Goaway> DECODER = LiteCodec.sizePrefixed("GOAWAY", LiteVersion::hasGoaway,
            (b, v) -> new Goaway(Fields.string(b, LiteLimits.MAX_STRING, "uri")));

    public Goaway {
        Objects.requireNonNull(uri, "uri");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasGoaway();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> Fields.writeString(w, uri));
    }
}
