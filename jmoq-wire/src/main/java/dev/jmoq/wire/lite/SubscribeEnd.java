package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/** Draft 05+: SUBSCRIBE_END, the exclusive end: no group at or after {@code group} will come (0 = none ever). */
public record SubscribeEnd(long group) implements SubscribeResponse {
    public SubscribeEnd {
        Fields.checkVarint(group, "group");
    }

    @Override
    public Kind kind() {
        return Kind.END;
    }

    @Override
    public void encodeBody(ByteBuf out, LiteVersion v) {
        VarInt.write(out, group);
    }
}
