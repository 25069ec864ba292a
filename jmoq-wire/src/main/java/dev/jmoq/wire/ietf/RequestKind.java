package dev.jmoq.wire.ietf;

/**
 * Which request a response answers. On draft 14 every request has its own _OK / _ERROR message type,
 * so the kind picks the type; from draft 15 one REQUEST_OK (0x7) and REQUEST_ERROR (0x5) serve all
 * and the kind is known only from the request (decoders return {@link #ANY}).
 */
public enum RequestKind {
    ANY(-1, -1),
    SUBSCRIBE(-1, 0x5),
    PUBLISH(-1, 0x1F),
    FETCH(-1, 0x19),
    TRACK_STATUS(-1, 0xF),
    PUBLISH_NAMESPACE(0x7, 0x8),
    SUBSCRIBE_NAMESPACE(0x12, 0x13);

    private final long okType14;
    private final long errorType14;

    RequestKind(long okType14, long errorType14) {
        this.okType14 = okType14;
        this.errorType14 = errorType14;
    }

    /** Draft 14's _OK message type for this kind with the REQUEST_OK shape, or -1. */
    long okType14() {
        return okType14;
    }

    /** Draft 14's _ERROR message type for this kind, or -1. */
    long errorType14() {
        return errorType14;
    }
}
