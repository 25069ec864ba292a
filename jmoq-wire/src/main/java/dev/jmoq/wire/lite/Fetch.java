package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Draft 03+: FETCH, one group of a track by sequence. On draft 05 the publisher answers on the same
 * stream with bare frames (timestamp, size, payload; no GROUP header) until FIN; the JS clients
 * reset fetch streams on older drafts.
 */
public record Fetch(String broadcast, String track, int priority, long group) implements LiteMessage {
    public static final MessageDecoder<Fetch> DECODER = LiteCodec.sizePrefixed("FETCH", LiteVersion::hasFetch,
            (b, v) -> new Fetch(Fields.string(b, LiteLimits.MAX_STRING, "broadcast"),
                    Fields.string(b, LiteLimits.MAX_STRING, "track"), Fields.u8(b, "priority"), Fields.varint(b, "group")));

    public Fetch {
        Objects.requireNonNull(broadcast, "broadcast");
        Objects.requireNonNull(track, "track");
        Fields.checkU8(priority, "priority");
        Fields.checkVarint(group, "group");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasFetch();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            Fields.writeString(w, broadcast);
            Fields.writeString(w, track);
            w.writeByte(priority);
            VarInt.write(w, group);
        });
    }
}
