package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/** Drafts 01/02: SESSION_INFO on the setup stream after SERVER_SETUP; the sender's bitrate estimate (0 = unknown). */
public record SessionInfo(long bitrate) implements LiteMessage {
    public static final MessageDecoder<SessionInfo> DECODER = LiteCodec.sizePrefixed("SESSION_INFO",
            LiteVersion::hasSessionInfo, (b, v) -> new SessionInfo(Fields.varint(b, "bitrate")));

    public SessionInfo {
        Fields.checkVarint(bitrate, "bitrate");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasSessionInfo();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> VarInt.write(w, bitrate));
    }
}
