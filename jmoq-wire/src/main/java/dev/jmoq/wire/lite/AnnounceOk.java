package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * Draft 05+: ANNOUNCE_OK, the publisher's first message on an announce stream: its origin id
 * (0 = unknown) and how many ANNOUNCEs for already-active broadcasts follow immediately.
 */
public record AnnounceOk(long origin, long active) implements LiteMessage {
    public static final MessageDecoder<AnnounceOk> DECODER = LiteCodec.sizePrefixed("ANNOUNCE_OK",
            LiteVersion::hasAnnounceOk,
            (b, v) -> new AnnounceOk(Fields.varint(b, "origin"), Fields.varint(b, "active count")));

    public AnnounceOk {
        Fields.checkVarint(origin, "origin");
        Fields.checkVarint(active, "active");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasAnnounceOk();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            VarInt.write(w, origin);
            VarInt.write(w, active);
        });
    }
}
