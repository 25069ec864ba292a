package dev.jmoq.wire.ietf;

/**
 * Session termination error codes (CLOSE_SESSION / CONNECTION_CLOSE application codes) of
 * draft-ietf-moq-transport, drafts 14-20 ("Session Termination Error Codes"). The codes this codec
 * raises are constants here; {@link #name} names every code of the table. They did not change
 * between drafts except INVALID_REQUIRED_REQUEST_ID (0x7, draft 17 only; TOO_MANY_REQUESTS in 14-16)
 * and TOO_MANY_REQUEST_UPDATES (0x1B, draft 19+).
 */
public final class IetfErrorCode {
    public static final long NO_ERROR = 0x0;
    public static final long INTERNAL_ERROR = 0x1;
    public static final long UNAUTHORIZED = 0x2;
    /** Malformed or forbidden input: what every decode failure of this codec carries. */
    public static final long PROTOCOL_VIOLATION = 0x3;
    public static final long INVALID_REQUEST_ID = 0x4;
    public static final long DUPLICATE_TRACK_ALIAS = 0x5;
    /** A Key-Value-Pair / parameter could not be parsed (bad length, duplicate, wrong form). */
    public static final long KEY_VALUE_FORMATTING_ERROR = 0x6;
    /** Drafts 14-16: a request beyond MAX_REQUEST_ID. */
    public static final long TOO_MANY_REQUESTS = 0x7;
    public static final long INVALID_PATH = 0x8;
    public static final long MALFORMED_PATH = 0x9;
    public static final long GOAWAY_TIMEOUT = 0x10;
    public static final long CONTROL_MESSAGE_TIMEOUT = 0x11;
    public static final long DATA_STREAM_TIMEOUT = 0x12;
    public static final long AUTH_TOKEN_CACHE_OVERFLOW = 0x13;
    public static final long DUPLICATE_AUTH_TOKEN_ALIAS = 0x14;
    public static final long VERSION_NEGOTIATION_FAILED = 0x15;
    public static final long MALFORMED_AUTH_TOKEN = 0x16;
    public static final long UNKNOWN_AUTH_TOKEN_ALIAS = 0x17;
    public static final long EXPIRED_AUTH_TOKEN = 0x18;
    public static final long INVALID_AUTHORITY = 0x19;
    public static final long MALFORMED_AUTHORITY = 0x1A;
    /** Draft 19+. */
    public static final long TOO_MANY_REQUEST_UPDATES = 0x1B;

    private IetfErrorCode() {
    }

    /** The draft's name for a session termination code in draft {@code v}, or "unknown(N)". */
    public static String name(long code, IetfVersion v) {
        return switch ((int) Math.min(code, Integer.MAX_VALUE)) {
            case 0x0 -> "NO_ERROR";
            case 0x1 -> "INTERNAL_ERROR";
            case 0x2 -> "UNAUTHORIZED";
            case 0x3 -> "PROTOCOL_VIOLATION";
            case 0x4 -> "INVALID_REQUEST_ID";
            case 0x5 -> "DUPLICATE_TRACK_ALIAS";
            case 0x6 -> "KEY_VALUE_FORMATTING_ERROR";
            case 0x7 -> v.draft() <= 16 ? "TOO_MANY_REQUESTS"
                    : v.draft() == 17 ? "INVALID_REQUIRED_REQUEST_ID" : "unknown(7)";
            case 0x8 -> "INVALID_PATH";
            case 0x9 -> "MALFORMED_PATH";
            case 0x10 -> "GOAWAY_TIMEOUT";
            case 0x11 -> "CONTROL_MESSAGE_TIMEOUT";
            case 0x12 -> "DATA_STREAM_TIMEOUT";
            case 0x13 -> "AUTH_TOKEN_CACHE_OVERFLOW";
            case 0x14 -> "DUPLICATE_AUTH_TOKEN_ALIAS";
            case 0x15 -> "VERSION_NEGOTIATION_FAILED";
            case 0x16 -> "MALFORMED_AUTH_TOKEN";
            case 0x17 -> "UNKNOWN_AUTH_TOKEN_ALIAS";
            case 0x18 -> "EXPIRED_AUTH_TOKEN";
            case 0x19 -> "INVALID_AUTHORITY";
            case 0x1A -> "MALFORMED_AUTHORITY";
            case 0x1B -> v.draft() >= 19 ? "TOO_MANY_REQUEST_UPDATES" : "unknown(27)";
            default -> "unknown(" + code + ")";
        };
    }
}
