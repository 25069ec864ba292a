package dev.jmoq.wire.ietf;

/**
 * PUBLISH_DONE status codes ("PUBLISH_DONE Codes", drafts 14-20). Draft 18 swapped TOO_FAR_BEHIND
 * and EXPIRED; draft 16 moved MALFORMED_TRACK from 0x7 to 0x12. {@link #code} gives the number for a
 * draft, or -1 where the draft lacks the code.
 */
public enum PublishDoneCode {
    INTERNAL_ERROR,
    UNAUTHORIZED,
    TRACK_ENDED,
    SUBSCRIPTION_ENDED,
    GOING_AWAY,
    EXPIRED,
    TOO_FAR_BEHIND,
    /** Draft 15+. */
    UPDATE_FAILED,
    /** Draft 17+. */
    EXCESSIVE_LOAD,
    MALFORMED_TRACK;

    /** The code in draft {@code v}, or -1. */
    public long code(IetfVersion v) {
        int d = v.draft();
        return switch (this) {
            case INTERNAL_ERROR -> 0x0;
            case UNAUTHORIZED -> 0x1;
            case TRACK_ENDED -> 0x2;
            case SUBSCRIPTION_ENDED -> 0x3;
            case GOING_AWAY -> 0x4;
            case EXPIRED -> d >= 18 ? 0x6 : 0x5;
            case TOO_FAR_BEHIND -> d >= 18 ? 0x5 : 0x6;
            case UPDATE_FAILED -> d >= 15 ? 0x8 : -1;
            case EXCESSIVE_LOAD -> d >= 17 ? 0x9 : -1;
            case MALFORMED_TRACK -> d >= 16 ? 0x12 : 0x7;
        };
    }

    /** The constant with this code in draft {@code v}, or null. */
    public static PublishDoneCode of(long code, IetfVersion v) {
        for (PublishDoneCode c : values()) {
            if (c.code(v) == code) {
                return c;
            }
        }
        return null;
    }
}
