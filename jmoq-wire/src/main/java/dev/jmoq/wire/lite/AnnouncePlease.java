package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * ANNOUNCE_PLEASE (AnnounceInterest / AnnounceRequest in the JS clients): the first message on an
 * announce stream, asking for the broadcasts under {@code prefix}. Drafts 04 and 05 add
 * {@code excludeHop}, the asker's origin id (0 = none); elsewhere it is not sent and decodes as 0.
 */
public record AnnouncePlease(String prefix, long excludeHop) implements LiteMessage {
    public static final MessageDecoder<AnnouncePlease> DECODER = LiteCodec.sizePrefixed("ANNOUNCE_PLEASE", v -> true,
            (b, v) -> new AnnouncePlease(Fields.path(b, "prefix"),
                    v.hasExcludeHop() ? Fields.varint(b, "exclude hop") : 0));

    public AnnouncePlease {
        java.util.Objects.requireNonNull(prefix, "prefix");
        Fields.checkVarint(excludeHop, "excludeHop");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return true;
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            Fields.writeString(w, prefix);
            if (ver.hasExcludeHop()) {
                VarInt.write(w, excludeHop);
            }
        });
    }
}
