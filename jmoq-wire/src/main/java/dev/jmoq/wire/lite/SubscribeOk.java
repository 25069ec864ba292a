package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.OptionalLong;

/**
 * SUBSCRIBE_OK, drafts 01 to 04; its body follows {@link LiteVersion#subscribeOkLayout()}: the
 * priority alone (01), nothing (02), or priority, ordered, max latency, start and end group
 * (03/04). Fields a draft does not carry decode as 0, false and absent.
 */
public record SubscribeOk(int priority, boolean ordered, long maxLatencyMillis, OptionalLong startGroup,
        OptionalLong endGroup) implements SubscribeResponse {

    /** The drafts 01/02 form, with no type prefix. Use {@link SubscribeResponse#DECODER} to read any draft. */
    static final MessageDecoder<SubscribeResponse> UNTYPED = LiteCodec.sizePrefixed("SUBSCRIBE_OK",
            v -> v.subscribeOkLayout() != SubscribeOkLayout.ABSENT, SubscribeOk::decodeBody);

    public SubscribeOk {
        Fields.checkU8(priority, "priority");
        Fields.checkVarint(maxLatencyMillis, "maxLatencyMillis");
        Fields.checkGroup(startGroup, "startGroup");
        Fields.checkGroup(endGroup, "endGroup");
    }

    /** An OK with only a priority, as drafts 01/02 use it. */
    public static SubscribeOk ofPriority(int priority) {
        return new SubscribeOk(priority, false, 0, OptionalLong.empty(), OptionalLong.empty());
    }

    static SubscribeOk decodeBody(ByteBuf b, LiteVersion v) throws ProtocolException {
        return switch (v.subscribeOkLayout()) {
            case PRIORITY -> ofPriority(Fields.u8(b, "priority"));
            case EMPTY -> ofPriority(0);
            case FULL -> new SubscribeOk(Fields.u8(b, "priority"), Fields.bool(b, "ordered"),
                    Fields.varint(b, "max latency"), Fields.optionalGroup(b, "start group"),
                    Fields.optionalGroup(b, "end group"));
            case ABSENT -> throw LiteCodec.notInVersion("SUBSCRIBE_OK", v);
        };
    }

    @Override
    public Kind kind() {
        return Kind.OK;
    }

    @Override
    public void encodeBody(ByteBuf out, LiteVersion v) {
        switch (v.subscribeOkLayout()) {
            case PRIORITY -> out.writeByte(priority);
            case EMPTY -> { }
            case FULL -> {
                out.writeByte(priority);
                Fields.writeBool(out, ordered);
                VarInt.write(out, maxLatencyMillis);
                Fields.writeOptionalGroup(out, startGroup);
                Fields.writeOptionalGroup(out, endGroup);
            }
            case ABSENT -> throw new IllegalArgumentException("SUBSCRIBE_OK does not exist in " + v);
        }
    }
}
