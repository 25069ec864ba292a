package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ANNOUNCE (ANNOUNCE_BROADCAST): a broadcast under the requested prefix became active or ended.
 * Body: status byte (0 ended, 1 active; 2 restart, read as active, from draft 05), the path suffix,
 * then the hop chain per {@link LiteVersion#hopEncoding()}. Draft 03 carries only the hop count, so
 * it decodes as that many zero (unknown) origins.
 */
public record Announce(boolean active, String suffix, List<Long> hops) implements LiteMessage {
    private static final int ENDED = 0;
    private static final int ACTIVE = 1;
    private static final int RESTART = 2;

    public static final MessageDecoder<Announce> DECODER = LiteCodec.sizePrefixed("ANNOUNCE", v -> true, Announce::decode);

    public Announce {
        java.util.Objects.requireNonNull(suffix, "suffix");
        hops = List.copyOf(hops);
        if (hops.size() > LiteLimits.MAX_HOPS) {
            throw new IllegalArgumentException("too many hops: " + hops.size());
        }
        hops.forEach(h -> Fields.checkVarint(h, "hop"));
    }

    private static Announce decode(ByteBuf b, LiteVersion v) throws ProtocolException {
        int status = Fields.u8(b, "announce status");
        boolean active;
        if (status == ACTIVE || (status == RESTART && v.acceptsAnnounceRestart())) {
            active = true;
        } else if (status == ENDED) {
            active = false;
        } else {
            throw Fields.malformed("invalid announce status " + status);
        }
        String suffix = Fields.path(b, "suffix");
        List<Long> hops = switch (v.hopEncoding()) {
            case NONE -> List.of();
            case COUNT -> {
                long n = Fields.varint(b, "hop count");
                if (n > LiteLimits.MAX_HOPS) {
                    throw Fields.tooMany("hop", n, LiteLimits.MAX_HOPS);
                }
                yield Collections.nCopies((int) n, 0L);
            }
            case IDS -> {
                int n = Fields.count(b, LiteLimits.MAX_HOPS, 1, "hop");
                List<Long> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(Fields.varint(b, "hop"));
                }
                yield ids;
            }
        };
        return new Announce(active, suffix, hops);
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return true;
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            w.writeByte(active ? ACTIVE : ENDED);
            Fields.writeString(w, suffix);
            switch (ver.hopEncoding()) {
                case NONE -> { }
                case COUNT -> VarInt.write(w, hops.size());
                case IDS -> {
                    VarInt.write(w, hops.size());
                    hops.forEach(h -> VarInt.write(w, h));
                }
            }
        });
    }
}
