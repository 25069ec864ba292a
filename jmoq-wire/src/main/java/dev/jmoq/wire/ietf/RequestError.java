package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A refused request. Draft 15+: REQUEST_ERROR (0x5) for every request. Draft 14: SUBSCRIBE_ERROR
 * (0x5), PUBLISH_ERROR (0x1F), FETCH_ERROR (0x19), TRACK_STATUS_ERROR (0xF), PUBLISH_NAMESPACE_ERROR
 * (0x8) or SUBSCRIBE_NAMESPACE_ERROR (0x13), chosen by {@code kind}, all with the same layout.
 * Fields: [Request ID (14-16)], Error Code ({@link RequestErrorCode}), [Retry Interval (16+,
 * milliseconds)], Reason Phrase, [Redirect (18+, present exactly when the code is REDIRECT)]. Decoding on 15+ yields kind
 * {@link RequestKind#ANY}; {@code redirect} is null when absent.
 */
public record RequestError(RequestKind kind, long requestId, long errorCode, long retryInterval, String reason,
        Redirect redirect) implements IetfMessage {
    public static final long TYPE = 0x5;

    public RequestError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    public RequestError(RequestKind kind, long requestId, long errorCode, String reason) {
        this(kind, requestId, errorCode, 0, reason, null);
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasUnifiedResponses() ? TYPE : kind.errorType14();
    }

    public static RequestError decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return decode(b, v, RequestKind.ANY);
    }

    static RequestError decode(ByteBuf b, IetfVersion v, RequestKind kind) throws ProtocolException {
        long id = v.hasRequestIdInResponses() ? Wire.varint(b, v, "request id") : 0;
        long code = Wire.varint(b, v, "error code");
        long retry = v.hasRetryInterval() ? Wire.varint(b, v, "retry interval") : 0;
        String reason = Wire.reason(b, v);
        boolean redirects = v.hasRedirect() && code == RequestErrorCode.REDIRECT.code(v);
        Redirect redirect = redirects ? Redirect.decode(b, v) : null;
        return new RequestError(kind, id, code, retry, reason, redirect);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (type(v) < 0) {
            throw new IllegalArgumentException("draft 14 needs the request kind of an error, not " + kind);
        }
        if (v.hasRequestIdInResponses()) {
            Wire.writeVarint(out, v, requestId);
        }
        Wire.writeVarint(out, v, errorCode);
        if (v.hasRetryInterval()) {
            Wire.writeVarint(out, v, retryInterval);
        }
        Wire.writeReason(out, v, reason);
        boolean redirects = v.hasRedirect() && errorCode == RequestErrorCode.REDIRECT.code(v);
        if (redirects != (redirect != null)) {
            throw new IllegalArgumentException("a Redirect goes with error code REDIRECT (draft 18+) and only there");
        }
        if (redirects) {
            redirect.encode(out, v);
        }
    }
}
