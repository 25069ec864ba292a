package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/** Draft 05+: SUBSCRIBE_START, the absolute first group the publisher will deliver. */
public record SubscribeStart(long group) implements SubscribeResponse {
    public SubscribeStart {
        Fields.checkVarint(group, "group");
    }

    @Override
    public Kind kind() {
        return Kind.START;
    }

    @Override
    public void encodeBody(ByteBuf out, LiteVersion v) {
        VarInt.write(out, group);
    }
}
