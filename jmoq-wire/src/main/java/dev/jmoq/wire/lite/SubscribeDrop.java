package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * Draft 03+: SUBSCRIBE_DROP, groups {@code start..end} (inclusive) will not be delivered, with an
 * error code (0 = simply unavailable; {@link LiteErrorCode} otherwise).
 */
public record SubscribeDrop(long start, long end, long error) implements SubscribeResponse {
    public SubscribeDrop {
        Fields.checkVarint(start, "start");
        Fields.checkVarint(end, "end");
        Fields.checkVarint(error, "error");
    }

    @Override
    public Kind kind() {
        return Kind.DROP;
    }

    @Override
    public void encodeBody(ByteBuf out, LiteVersion v) {
        VarInt.write(out, start);
        VarInt.write(out, end);
        VarInt.write(out, error);
    }
}
