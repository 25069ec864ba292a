package dev.jmoq.wire.ietf;

/**
 * Data stream reset codes ("Stream Reset Error Codes", drafts 14-20). Draft 18 renumbered
 * UNKNOWN_OBJECT_STATUS (0x4 to 0x6) and TOO_FAR_BEHIND (draft 17's 0x5 kept) and added GOING_AWAY and
 * EXPIRED_AUTH_TOKEN. {@link #code} gives the number for a draft, or -1 where the draft lacks it.
 */
public enum StreamResetCode {
    INTERNAL_ERROR,
    CANCELLED,
    DELIVERY_TIMEOUT,
    SESSION_CLOSED,
    /** Draft 18+. */
    GOING_AWAY,
    /** Draft 17+: the subscriber fell behind (what a relay resets a lagging stream with). */
    TOO_FAR_BEHIND,
    /** Draft 16+. */
    UNKNOWN_OBJECT_STATUS,
    /** Draft 18+. */
    EXPIRED_AUTH_TOKEN,
    /** Draft 17+. */
    EXCESSIVE_LOAD,
    /** Draft 16+. */
    MALFORMED_TRACK;

    /** The code in draft {@code v}, or -1. */
    public long code(IetfVersion v) {
        int d = v.draft();
        return switch (this) {
            case INTERNAL_ERROR -> 0x0;
            case CANCELLED -> 0x1;
            case DELIVERY_TIMEOUT -> 0x2;
            case SESSION_CLOSED -> 0x3;
            case GOING_AWAY -> d >= 18 ? 0x4 : -1;
            case TOO_FAR_BEHIND -> d >= 17 ? 0x5 : -1;
            case UNKNOWN_OBJECT_STATUS -> d >= 18 ? 0x6 : d >= 16 ? 0x4 : -1;
            case EXPIRED_AUTH_TOKEN -> d >= 18 ? 0x7 : -1;
            case EXCESSIVE_LOAD -> d >= 17 ? 0x9 : -1;
            case MALFORMED_TRACK -> d >= 16 ? 0x12 : -1;
        };
    }

    /** The constant with this code in draft {@code v}, or null. */
    public static StreamResetCode of(long code, IetfVersion v) {
        for (StreamResetCode c : values()) {
            if (c.code(v) == code) {
                return c;
            }
        }
        return null;
    }
}
