package dev.jmoq.wire.ietf;

/**
 * Session termination error codes (the application code of CLOSE_WEBTRANSPORT_SESSION / QUIC
 * CONNECTION_CLOSE) of draft-ietf-moq-transport 14-20, "Session Termination Error Codes". They kept
 * their numbers across drafts; 0x7 is TOO_MANY_REQUESTS on 14-16 and INVALID_REQUIRED_REQUEST_ID on 17
 * only, and TOO_MANY_REQUEST_UPDATES (0x1B) exists from 19. {@link #code(IetfVersion)} is -1 where a
 * draft lacks the code. Every decode failure of this codec carries {@link #PROTOCOL_VIOLATION}.
 */
public enum IetfErrorCode {
    NO_ERROR(0x0, 14, 99),
    INTERNAL_ERROR(0x1, 14, 99),
    UNAUTHORIZED(0x2, 14, 99),
    /** Malformed or forbidden input. */
    PROTOCOL_VIOLATION(0x3, 14, 99),
    INVALID_REQUEST_ID(0x4, 14, 99),
    DUPLICATE_TRACK_ALIAS(0x5, 14, 99),
    /** A Key-Value-Pair could not be parsed (drafts 14-16: also a repeated type). */
    KEY_VALUE_FORMATTING_ERROR(0x6, 14, 99),
    /** Drafts 14-16: a request beyond MAX_REQUEST_ID. */
    TOO_MANY_REQUESTS(0x7, 14, 16),
    /** Draft 17 only. */
    INVALID_REQUIRED_REQUEST_ID(0x7, 17, 17),
    INVALID_PATH(0x8, 14, 99),
    MALFORMED_PATH(0x9, 14, 99),
    GOAWAY_TIMEOUT(0x10, 14, 99),
    CONTROL_MESSAGE_TIMEOUT(0x11, 14, 99),
    DATA_STREAM_TIMEOUT(0x12, 14, 99),
    AUTH_TOKEN_CACHE_OVERFLOW(0x13, 14, 99),
    DUPLICATE_AUTH_TOKEN_ALIAS(0x14, 14, 99),
    VERSION_NEGOTIATION_FAILED(0x15, 14, 99),
    MALFORMED_AUTH_TOKEN(0x16, 14, 99),
    UNKNOWN_AUTH_TOKEN_ALIAS(0x17, 14, 99),
    EXPIRED_AUTH_TOKEN(0x18, 14, 99),
    INVALID_AUTHORITY(0x19, 14, 99),
    MALFORMED_AUTHORITY(0x1A, 14, 99),
    /** Draft 19+. */
    TOO_MANY_REQUEST_UPDATES(0x1B, 19, 99);

    private final long code;
    private final int since;
    private final int until;

    IetfErrorCode(long code, int since, int until) {
        this.code = code;
        this.since = since;
        this.until = until;
    }

    /** The number on the wire (the same in every draft that has the code). */
    public long code() {
        return code;
    }

    /** The number in draft {@code v}, or -1 when the draft lacks the code. */
    public long code(IetfVersion v) {
        return v.draft() >= since && v.draft() <= until ? code : -1;
    }

    /** The constant with this number in draft {@code v}, or null. */
    public static IetfErrorCode of(long code, IetfVersion v) {
        for (IetfErrorCode c : values()) {
            if (c.code(v) == code) {
                return c;
            }
        }
        return null;
    }
}
