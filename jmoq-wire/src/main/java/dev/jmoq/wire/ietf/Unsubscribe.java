package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/** UNSUBSCRIBE (0xA), drafts 14-16: end subscription {@code requestId}. Draft 17+ cancels the request stream. */
public record Unsubscribe(long requestId) implements IetfMessage {
    public static final long TYPE = 0xA;

    @Override
    public long type(IetfVersion v) {
        return v.hasDoneMessages() ? TYPE : -1;
    }

    public static Unsubscribe decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new Unsubscribe(Wire.varint(b, v, "request id"));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
    }
}
