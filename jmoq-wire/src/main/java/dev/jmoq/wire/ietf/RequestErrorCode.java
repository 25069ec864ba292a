package dev.jmoq.wire.ietf;

/**
 * Error codes of a refused request: REQUEST_ERROR on drafts 15+, and SUBSCRIBE_ERROR,
 * PUBLISH_ERROR, FETCH_ERROR, TRACK_STATUS_ERROR, PUBLISH_NAMESPACE_ERROR and
 * SUBSCRIBE_NAMESPACE_ERROR on draft 14 (each draft's "REQUEST_ERROR Codes" table, and draft 14's
 * per-message tables). Draft 15 renumbered them; {@link #code} gives the number for a draft, or -1
 * where the draft lacks the code.
 */
public enum RequestErrorCode {
    INTERNAL_ERROR(0x0, 0x0, 15),
    UNAUTHORIZED(0x1, 0x1, 15),
    TIMEOUT(0x2, 0x2, 15),
    NOT_SUPPORTED(0x3, 0x3, 15),
    MALFORMED_AUTH_TOKEN(0x10, 0x4, 15),
    EXPIRED_AUTH_TOKEN(0x12, 0x5, 15),
    /** Draft 17+. */
    GOING_AWAY(-1, 0x6, 17),
    /** Draft 17+. */
    EXCESSIVE_LOAD(-1, 0x9, 17),
    /** TRACK_DOES_NOT_EXIST on draft 14 (SUBSCRIBE/FETCH/TRACK_STATUS), NAMESPACE_PREFIX_UNKNOWN for namespaces. */
    DOES_NOT_EXIST(0x4, 0x10, 15),
    INVALID_RANGE(0x5, 0x11, 15),
    MALFORMED_TRACK(0x9, 0x12, 15),
    /** Drafts 16-18. */
    DUPLICATE_SUBSCRIPTION(-1, 0x19, 16),
    /** PUBLISH_NAMESPACE / PUBLISH refused: nobody wants it (0x4 on draft 14). */
    UNINTERESTED(0x4, 0x20, 15),
    /** NAMESPACE_PREFIX_OVERLAP on draft 14. */
    PREFIX_OVERLAP(0x5, 0x30, 15),
    /** Draft 17+. */
    NAMESPACE_TOO_LARGE(-1, 0x31, 17),
    INVALID_JOINING_REQUEST_ID(0x7, 0x32, 15),
    /** Draft 18+ (UNKNOWN_STATUS_IN_RANGE 0x33 on draft 15). */
    UNSUPPORTED_EXTENSION(-1, 0x33, 18),
    /** Draft 18+: the REQUEST_ERROR carries a Redirect. */
    REDIRECT(-1, 0x34, 18),
    /** Draft 19+. */
    CONFLICTING_FILTERS(-1, 0x35, 19),
    /** Draft 19+. */
    INVALID_FILTER(-1, 0x36, 19);

    private final long draft14;
    private final long later;
    private final int since;

    RequestErrorCode(long draft14, long later, int since) {
        this.draft14 = draft14;
        this.later = later;
        this.since = since;
    }

    /** The code in draft {@code v}, or -1 when the draft has none. */
    public long code(IetfVersion v) {
        if (v == IetfVersion.DRAFT_14) {
            return draft14;
        }
        if (v.draft() < since || (this == DUPLICATE_SUBSCRIPTION && v.draft() >= 19)) {
            return -1;
        }
        return later;
    }

    /** The constant with this code in draft {@code v} (first match; draft 14 reuses numbers), or null. */
    public static RequestErrorCode of(long code, IetfVersion v) {
        for (RequestErrorCode c : values()) {
            if (c.code(v) == code) {
                return c;
            }
        }
        return null;
    }
}
