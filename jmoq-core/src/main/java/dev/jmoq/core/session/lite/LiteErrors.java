package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.SessionError;
import dev.jmoq.wire.lite.LiteErrorCode;

/**
 * moq-lite's wire code for each of the relay's {@link SessionError}s: moq-dev's codes
 * ({@link LiteErrorCode}, rs/moq-net {@code Error::to_code}). Normal ends use 0 (cancel), as moq-dev does.
 */
final class LiteErrors {
    private LiteErrors() {
    }

    static long code(SessionError error) {
        return switch (error) {
            case NO_ERROR, CANCELLED, SHUTDOWN -> LiteErrorCode.CANCEL;
            case CLOSED -> LiteErrorCode.CLOSED;
            case UNAUTHORIZED -> LiteErrorCode.UNAUTHORIZED;
            case LIMIT_EXCEEDED -> LiteErrorCode.BOUNDS_EXCEEDED;
            case PROTOCOL_VIOLATION -> LiteErrorCode.PROTOCOL_VIOLATION;
            case UNEXPECTED_STREAM -> LiteErrorCode.UNEXPECTED_STREAM;
            case UNSUPPORTED -> LiteErrorCode.UNSUPPORTED;
            case VERSION_MISMATCH -> LiteErrorCode.VERSION;
            case NOT_FOUND -> LiteErrorCode.NOT_FOUND;
            case LAGGING -> LiteErrorCode.LAGGED;
            case DUPLICATE -> LiteErrorCode.DUPLICATE;
            case TOO_OLD -> LiteErrorCode.OLD;
            case TIMEOUT -> LiteErrorCode.TIMEOUT;
        };
    }
}
