package dev.jmoq.core.model;

/**
 * Which of a subscription's groups goes first when the link cannot carry them all
 * (draft-ietf-moq-transport-14..20, "Priorities": Group Order; draft-lcurley-moq-lite, "Prioritization":
 * Ordered). IETF GROUP_ORDER codes: 0 the publisher's choice (SUBSCRIBE only), 1 ascending, 2 descending;
 * moq-lite's {@code ordered} byte: 1 ascending (older groups first), 0 descending (newer first).
 */
public enum GroupOrder {
    /** The subscriber left it to the publisher (IETF 0x0 or an omitted GROUP_ORDER). */
    PUBLISHER(0),
    /** Lower group ids first: VOD-like, buffer rather than skip. */
    ASCENDING(1),
    /** Higher group ids first: live, skip rather than buffer. What a relay prefers for its own tracks. */
    DESCENDING(2);

    /** The IETF GROUP_ORDER code. */
    public final int code;

    GroupOrder(int code) {
        this.code = code;
    }

    /** The order of IETF GROUP_ORDER {@code code}, or null for a value outside 0..2. */
    public static GroupOrder ofIetf(long code) {
        return code == 0 ? PUBLISHER : code == 1 ? ASCENDING : code == 2 ? DESCENDING : null;
    }

    /** The order of moq-lite's {@code ordered} flag. */
    public static GroupOrder ofLite(boolean ordered) {
        return ordered ? ASCENDING : DESCENDING;
    }

    /** This order, or {@code preference} when this is {@link #PUBLISHER}. */
    public GroupOrder or(GroupOrder preference) {
        return this == PUBLISHER ? preference : this;
    }
}
