package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * REQUESTS_BLOCKED (0x1A), drafts 14-16: the sender wants to open a request but has reached
 * {@code maximumRequestId}, the limit the peer granted.
 */
public record RequestsBlocked(long maximumRequestId) implements IetfMessage {
    public static final long TYPE = 0x1A;

    @Override
    public long type(IetfVersion v) {
        return v.hasRequestFlowControl() ? TYPE : -1;
    }

    public static RequestsBlocked decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new RequestsBlocked(Wire.varint(b, v, "maximum request id"));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, maximumRequestId);
    }
}
