package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.OptionalLong;

/**
 * SUBSCRIBE_UPDATE: later messages from the subscriber on its subscribe stream. Drafts 01/02 carry
 * the priority alone (as the JS clients encode it); draft 03+ also ordered, max latency and
 * optional start/end group, like {@link Subscribe}.
 */
public record SubscribeUpdate(int priority, boolean ordered, long maxLatencyMillis, OptionalLong startGroup,
        OptionalLong endGroup) implements LiteMessage {

    public static final MessageDecoder<SubscribeUpdate> DECODER = LiteCodec.sizePrefixed("SUBSCRIBE_UPDATE", v -> true,
            SubscribeUpdate::decode);

    public SubscribeUpdate {
        Fields.checkU8(priority, "priority");
        Fields.checkVarint(maxLatencyMillis, "maxLatencyMillis");
        Fields.checkGroup(startGroup, "startGroup");
        Fields.checkGroup(endGroup, "endGroup");
    }

    /** An update with only the priority, the one field drafts 01/02 carry. */
    public static SubscribeUpdate priorityOnly(int priority) {
        return new SubscribeUpdate(priority, false, 0, OptionalLong.empty(), OptionalLong.empty());
    }

    private static SubscribeUpdate decode(ByteBuf b, LiteVersion v) throws ProtocolException {
        int priority = Fields.u8(b, "priority");
        if (!v.hasSubscribeRange()) {
            return priorityOnly(priority);
        }
        return new SubscribeUpdate(priority, Fields.bool(b, "ordered"), Fields.varint(b, "max latency"),
                Fields.optionalGroup(b, "start group"), Fields.optionalGroup(b, "end group"));
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return true;
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            w.writeByte(priority);
            if (ver.hasSubscribeRange()) {
                Fields.writeBool(w, ordered);
                VarInt.write(w, maxLatencyMillis);
                Fields.writeOptionalGroup(w, startGroup);
                Fields.writeOptionalGroup(w, endGroup);
            }
        });
    }
}
