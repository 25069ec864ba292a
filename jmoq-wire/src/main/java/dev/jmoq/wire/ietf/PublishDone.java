package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * PUBLISH_DONE (0xB): the publisher ends a subscription. Fields: [Request ID (14-16; 0 when decoded
 * on 17+)], Status Code ({@link PublishDoneCode}), Stream Count (data streams opened for it), Reason
 * Phrase.
 */
public record PublishDone(long requestId, long statusCode, long streamCount, String reason) implements IetfMessage {
    public static final long TYPE = 0xB;

    public PublishDone {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static PublishDone decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = v.hasRequestIdInResponses() ? Wire.varint(b, v, "request id") : 0;
        return new PublishDone(id, Wire.varint(b, v, "status code"), Wire.varint(b, v, "stream count"), Wire.reason(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasRequestIdInResponses()) {
            Wire.writeVarint(out, v, requestId);
        }
        Wire.writeVarint(out, v, statusCode);
        Wire.writeVarint(out, v, streamCount);
        Wire.writeReason(out, v, reason);
    }
}
