package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * GOAWAY (0x10): the sender is draining; reconnect to {@code newSessionUri} (empty: the same URI).
 * Draft 17+ adds {@code timeoutMillis} (0 on earlier drafts); draft 18 alone may end with the Request
 * ID of the request it applies to (on a request stream). The URI is at most 8192 bytes.
 */
public record Goaway(String newSessionUri, long timeoutMillis, OptionalLong requestId) implements IetfMessage {
    public static final long TYPE = 0x10;
    /** The draft's bound on the New Session URI. */
    public static final int MAX_URI = 8192;

    public Goaway {
        Objects.requireNonNull(newSessionUri, "newSessionUri");
        Objects.requireNonNull(requestId, "requestId");
    }

    public Goaway(String newSessionUri) {
        this(newSessionUri, 0, OptionalLong.empty());
    }

    @Override
    public long type(IetfVersion v) {
        return TYPE;
    }

    public static Goaway decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        String uri = Wire.utf8(b, v, MAX_URI, "new session URI");
        long timeout = v.hasGoawayTimeout() ? Wire.varint(b, v, "timeout") : 0;
        OptionalLong requestId = v.hasGoawayRequestId() && b.isReadable()
                ? OptionalLong.of(Wire.varint(b, v, "request id")) : OptionalLong.empty();
        return new Goaway(uri, timeout, requestId);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeUtf8(out, v, newSessionUri);
        if (v.hasGoawayTimeout()) {
            Wire.writeVarint(out, v, timeoutMillis);
        }
        if (v.hasGoawayRequestId() && requestId.isPresent()) {
            Wire.writeVarint(out, v, requestId.getAsLong());
        }
    }
}
