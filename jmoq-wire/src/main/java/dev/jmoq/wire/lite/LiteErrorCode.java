package dev.jmoq.wire.lite;

/**
 * moq-lite application error codes, sent when resetting a stream or closing a session.
 *
 * <p>The drafts leave codes to implementations; these are moq-dev's (rs/moq-net {@code Error::to_code}),
 * which every moq-lite peer we interoperate with uses. Application codes start at {@link #APP_OFFSET}.
 */
public final class LiteErrorCode {
    /** Nobody reads any more; not a failure. Also what a plain stream drop sends. */
    public static final long CANCEL = 0;
    public static final long REQUIRED_EXTENSION = 1;
    /** The group is older than the latest and was dropped (slow or lagging subscriber). */
    public static final long OLD = 2;
    public static final long TIMEOUT = 3;
    public static final long TRANSPORT = 4;
    /** A message could not be parsed. */
    public static final long DECODE = 5;
    public static final long UNAUTHORIZED = 6;
    /** No common version, or the negotiated version lacks the feature. */
    public static final long VERSION = 9;
    public static final long UNEXPECTED_STREAM = 10;
    /** A value or count exceeded its bound. */
    public static final long BOUNDS_EXCEEDED = 11;
    public static final long DUPLICATE = 12;
    public static final long NOT_FOUND = 13;
    public static final long WRONG_SIZE = 14;
    public static final long PROTOCOL_VIOLATION = 15;
    public static final long UNEXPECTED_MESSAGE = 16;
    public static final long UNSUPPORTED = 17;
    public static final long ENCODE = 18;
    public static final long TOO_MANY_PARAMETERS = 19;
    public static final long INVALID_ROLE = 20;
    public static final long UNKNOWN_ALPN = 21;
    public static final long DROPPED = 24;
    public static final long CLOSED = 25;
    /** The reader fell behind the group's byte budget. */
    public static final long LAGGED = 26;
    public static final long FRAME_TOO_LARGE = 27;
    public static final long TIMESTAMP_MISMATCH = 29;
    public static final long UNROUTABLE = 30;
    /** The group was evicted under memory pressure; it may be fetched again. */
    public static final long EVICTED = 31;
    /** Application codes are sent as {@code APP_OFFSET + code}. */
    public static final long APP_OFFSET = 64;

    private LiteErrorCode() {
    }

    /** A short lowercase name for logs, e.g. "not_found", or "app(3)" / "unknown(40)". */
    public static String name(long code) {
        return switch ((int) Math.min(code, Integer.MAX_VALUE)) {
            case 0 -> "cancel";
            case 1 -> "required_extension";
            case 2 -> "old";
            case 3 -> "timeout";
            case 4 -> "transport";
            case 5 -> "decode";
            case 6 -> "unauthorized";
            case 9 -> "version";
            case 10 -> "unexpected_stream";
            case 11 -> "bounds_exceeded";
            case 12 -> "duplicate";
            case 13 -> "not_found";
            case 14 -> "wrong_size";
            case 15 -> "protocol_violation";
            case 16 -> "unexpected_message";
            case 17 -> "unsupported";
            case 18 -> "encode";
            case 19 -> "too_many_parameters";
            case 20 -> "invalid_role";
            case 21 -> "unknown_alpn";
            case 24 -> "dropped";
            case 25 -> "closed";
            case 26 -> "lagged";
            case 27 -> "frame_too_large";
            case 29 -> "timestamp_mismatch";
            case 30 -> "unroutable";
            case 31 -> "evicted";
            default -> code >= APP_OFFSET ? "app(" + (code - APP_OFFSET) + ")" : "unknown(" + code + ")";
        };
    }
}
