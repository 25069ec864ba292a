package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * SUBSCRIBE: the first message on a subscribe stream. Id, broadcast path, track name, priority
 * byte; from draft 03 also ordered, max latency (milliseconds) and optional start/end group
 * (encoded as value + 1, 0 = absent). On drafts 01/02 those fields are not sent and decode as
 * false, 0 and absent.
 */
public record Subscribe(long id, String broadcast, String track, int priority, boolean ordered,
        long maxLatencyMillis, OptionalLong startGroup, OptionalLong endGroup) implements LiteMessage {

    public static final MessageDecoder<Subscribe> DECODER = LiteCodec.sizePrefixed("SUBSCRIBE", v -> true, Subscribe::decode);

    public Subscribe {
        Fields.checkVarint(id, "id");
        Objects.requireNonNull(broadcast, "broadcast");
        Objects.requireNonNull(track, "track");
        Fields.checkU8(priority, "priority");
        Fields.checkVarint(maxLatencyMillis, "maxLatencyMillis");
        Fields.checkGroup(startGroup, "startGroup");
        Fields.checkGroup(endGroup, "endGroup");
    }

    /** A subscription with only the fields drafts 01/02 carry. */
    public static Subscribe basic(long id, String broadcast, String track, int priority) {
        return new Subscribe(id, broadcast, track, priority, false, 0, OptionalLong.empty(), OptionalLong.empty());
    }

    private static Subscribe decode(ByteBuf b, LiteVersion v) throws ProtocolException {
        long id = Fields.varint(b, "subscribe id");
        String broadcast = Fields.path(b, "broadcast");
        String track = Fields.string(b, LiteLimits.MAX_STRING, "track");
        int priority = Fields.u8(b, "priority");
        if (!v.hasSubscribeRange()) {
            return basic(id, broadcast, track, priority);
        }
        return new Subscribe(id, broadcast, track, priority, Fields.bool(b, "ordered"), Fields.varint(b, "max latency"),
                Fields.optionalGroup(b, "start group"), Fields.optionalGroup(b, "end group"));
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return true;
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            VarInt.write(w, id);
            Fields.writeString(w, broadcast);
            Fields.writeString(w, track);
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
