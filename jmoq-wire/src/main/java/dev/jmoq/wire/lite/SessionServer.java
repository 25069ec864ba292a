package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** The draft 01/02 native SESSION_SERVER (size-prefixed: chosen version, extensions). See {@link SessionClient}. */
public record SessionServer(long version, List<LiteParameter> extensions) implements LiteMessage {
    public static final MessageDecoder<SessionServer> DECODER = LiteCodec.sizePrefixed("SESSION_SERVER",
            LiteVersion::hasLegacySetup,
            (b, v) -> new SessionServer(Fields.varint(b, "version"), LiteParameter.readAll(b)));

    public SessionServer {
        Fields.checkVarint(version, "version");
        extensions = List.copyOf(extensions);
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasLegacySetup();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            VarInt.write(w, version);
            LiteParameter.writeAll(w, extensions);
        });
    }
}
