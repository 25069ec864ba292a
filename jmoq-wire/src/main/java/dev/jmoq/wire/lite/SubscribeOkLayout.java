package dev.jmoq.wire.lite;

/** The body of SUBSCRIBE_OK in a given draft. */
public enum SubscribeOkLayout {
    /** Draft 01: the publisher priority byte alone. */
    PRIORITY,
    /** Draft 02: an empty body. */
    EMPTY,
    /** Drafts 03 and 04: priority, ordered, max latency, start and end group. */
    FULL,
    /** Draft 05 and later: no SUBSCRIBE_OK; acceptance is implicit (SUBSCRIBE_START/END). */
    ABSENT
}
