package dev.jmoq.core.session;

/**
 * Application error codes used on moq-lite streams and sessions, the values moq-dev's implementations
 * send (rs/moq-net error.rs), so peers can tell why a stream ended.
 */
public final class LiteCodes {
    public static final long CANCEL = 0;
    public static final long OLD = 2;
    public static final long TIMEOUT = 3;
    public static final long DECODE = 5;
    public static final long UNAUTHORIZED = 6;
    public static final long VERSION = 9;
    public static final long UNEXPECTED_STREAM = 10;
    public static final long BOUNDS_EXCEEDED = 11;
    public static final long DUPLICATE = 12;
    public static final long NOT_FOUND = 13;
    public static final long PROTOCOL_VIOLATION = 15;
    public static final long UNSUPPORTED = 17;
    public static final long DROPPED = 24;
    public static final long CLOSED = 25;
    /** The subscriber fell behind: the group was abandoned for a newer one. */
    public static final long LAGGED = 26;
    public static final long FRAME_TOO_LARGE = 27;
    public static final long EVICTED = 31;

    private LiteCodes() {
    }
}
