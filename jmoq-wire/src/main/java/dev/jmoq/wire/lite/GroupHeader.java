package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * GROUP: the size-prefixed header of a group stream, after {@link LiteDataType#GROUP}: the
 * subscription id it answers and the group sequence. Same in every draft.
 */
public record GroupHeader(long subscribe, long sequence) implements LiteMessage {
    public static final MessageDecoder<GroupHeader> DECODER = LiteCodec.sizePrefixed("GROUP", v -> true,
            (b, v) -> new GroupHeader(Fields.varint(b, "subscribe id"), Fields.varint(b, "sequence")));

    public GroupHeader {
        Fields.checkVarint(subscribe, "subscribe");
        Fields.checkVarint(sequence, "sequence");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return true;
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        // Hot path: size the body directly instead of going through a scratch buffer.
        VarInt.write(out, VarInt.size(subscribe) + VarInt.size(sequence));
        VarInt.write(out, subscribe);
        VarInt.write(out, sequence);
    }
}
