package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * MAX_REQUEST_ID (0x15), drafts 14-16: the peer may use request ids below {@code maxRequestId}.
 * Draft 17 removed it (QUIC stream limits bound requests).
 */
public record MaxRequestId(long maxRequestId) implements IetfMessage {
    public static final long TYPE = 0x15;

    @Override
    public long type(IetfVersion v) {
        return v.hasRequestFlowControl() ? TYPE : -1;
    }

    public static MaxRequestId decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new MaxRequestId(Wire.varint(b, v, "max request id"));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, maxRequestId);
    }
}
