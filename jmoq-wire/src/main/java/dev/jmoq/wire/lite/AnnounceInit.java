package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Drafts 01/02: ANNOUNCE_INIT, the suffixes active when the announce stream opened. */
public record AnnounceInit(List<String> suffixes) implements LiteMessage {
    public static final MessageDecoder<AnnounceInit> DECODER = LiteCodec.sizePrefixed("ANNOUNCE_INIT",
            LiteVersion::hasAnnounceInit, (b, v) -> {
                int n = Fields.count(b, LiteLimits.MAX_ANNOUNCE_INIT, 1, "suffix");
                List<String> suffixes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    suffixes.add(Fields.path(b, "suffix"));
                }
                return new AnnounceInit(suffixes);
            });

    public AnnounceInit {
        suffixes = List.copyOf(suffixes);
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasAnnounceInit();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            dev.jmoq.wire.VarInt.write(w, suffixes.size());
            suffixes.forEach(s -> Fields.writeString(w, s));
        });
    }
}
