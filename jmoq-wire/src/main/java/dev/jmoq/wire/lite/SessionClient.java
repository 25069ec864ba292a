package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The draft 01/02 native SESSION_CLIENT (size-prefixed: versions, extensions), defined by both JS
 * packages. Their connect code negotiates with {@link ClientSetup} instead, so this is for
 * completeness and for peers that still send it.
 */
public record SessionClient(List<Long> versions, List<LiteParameter> extensions) implements LiteMessage {
    public static final MessageDecoder<SessionClient> DECODER = LiteCodec.sizePrefixed("SESSION_CLIENT",
            LiteVersion::hasLegacySetup, (b, v) -> {
                int n = Fields.count(b, LiteLimits.MAX_VERSIONS, 1, "version");
                List<Long> versions = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    versions.add(Fields.varint(b, "version"));
                }
                return new SessionClient(versions, LiteParameter.readAll(b));
            });

    public SessionClient {
        versions = List.copyOf(versions);
        extensions = List.copyOf(extensions);
        versions.forEach(x -> Fields.checkVarint(x, "version"));
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasLegacySetup();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            VarInt.write(w, versions.size());
            versions.forEach(x -> VarInt.write(w, x));
            LiteParameter.writeAll(w, extensions);
        });
    }
}
