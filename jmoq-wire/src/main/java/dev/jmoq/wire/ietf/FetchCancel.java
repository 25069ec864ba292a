package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/** FETCH_CANCEL (0x17), drafts 14-16: abandon fetch {@code requestId}. Draft 17+ resets the request stream. */
public record FetchCancel(long requestId) implements IetfMessage {
    public static final long TYPE = 0x17;

    @Override
    public long type(IetfVersion v) {
        return v.hasCancelMessages() ? TYPE : -1;
    }

    public static FetchCancel decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new FetchCancel(Wire.varint(b, v, "request id"));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
    }
}
