package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.SessionError;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.StreamResetCode;

/**
 * The relay's {@link SessionError}s in moq-transport's three code spaces, per draft: session termination
 * codes ("Session Termination Error Codes"), data stream reset codes ("Stream Reset Error Codes") and
 * request error codes ("REQUEST_ERROR Codes"; SUBSCRIBE_ERROR etc. on draft 14). Stateless.
 */
final class IetfErrors {
    private IetfErrors() {
    }

    /** The session termination code for {@code error} in draft {@code v}. */
    static long sessionCode(SessionError error, IetfVersion v) {
        IetfErrorCode c = switch (error) {
            case NO_ERROR, CANCELLED, CLOSED -> IetfErrorCode.NO_ERROR;
            case SHUTDOWN -> IetfErrorCode.GOAWAY_TIMEOUT;
            case UNAUTHORIZED -> IetfErrorCode.UNAUTHORIZED;
            case LIMIT_EXCEEDED -> v.hasRequestFlowControl() ? IetfErrorCode.TOO_MANY_REQUESTS : IetfErrorCode.INTERNAL_ERROR;
            case PROTOCOL_VIOLATION, UNEXPECTED_STREAM, UNSUPPORTED, NOT_FOUND, DUPLICATE, TOO_OLD ->
                    IetfErrorCode.PROTOCOL_VIOLATION;
            case VERSION_MISMATCH -> IetfErrorCode.VERSION_NEGOTIATION_FAILED;
            case LAGGING -> IetfErrorCode.INTERNAL_ERROR;
            case TIMEOUT -> IetfErrorCode.CONTROL_MESSAGE_TIMEOUT;
        };
        return c.code();
    }

    /** The code that resets or stops a data stream for {@code error} in draft {@code v}. */
    static long streamCode(SessionError error, IetfVersion v) {
        StreamResetCode c = switch (error) {
            case NO_ERROR, CANCELLED, NOT_FOUND, DUPLICATE, TOO_OLD, UNSUPPORTED -> StreamResetCode.CANCELLED;
            case CLOSED, SHUTDOWN -> StreamResetCode.SESSION_CLOSED;
            case LAGGING -> StreamResetCode.TOO_FAR_BEHIND.code(v) >= 0 ? StreamResetCode.TOO_FAR_BEHIND
                    : StreamResetCode.DELIVERY_TIMEOUT;
            case TIMEOUT -> StreamResetCode.DELIVERY_TIMEOUT;
            case UNAUTHORIZED -> StreamResetCode.EXPIRED_AUTH_TOKEN.code(v) >= 0 ? StreamResetCode.EXPIRED_AUTH_TOKEN
                    : StreamResetCode.INTERNAL_ERROR;
            default -> StreamResetCode.INTERNAL_ERROR;
        };
        return c.code(v);
    }

    /** The request error code for {@code code} in draft {@code v}, INTERNAL_ERROR where the draft lacks it. */
    static long requestCode(RequestErrorCode code, IetfVersion v) {
        long n = code.code(v);
        return n >= 0 ? n : RequestErrorCode.INTERNAL_ERROR.code(v);
    }
}
