package dev.jmoq.transport.webtransport;

/**
 * HTTP/3 and WebTransport constants: stream and frame types, settings, error codes, capsules.
 * The values come from RFC 9114, RFC 9204, RFC 9220, RFC 9297 and draft-ietf-webtrans-http3.
 */
final class H3 {
    // Unidirectional stream types.
    static final long STREAM_CONTROL = 0x00;
    static final long STREAM_PUSH = 0x01;
    static final long STREAM_QPACK_ENCODER = 0x02;
    static final long STREAM_QPACK_DECODER = 0x03;
    /** A WebTransport unidirectional stream: 0x54, then the session id. */
    static final long STREAM_WT_UNI = 0x54;
    /** A WebTransport bidirectional stream: the signal value 0x41, then the session id. */
    static final long SIGNAL_WT_BIDI = 0x41;

    // Frame types.
    static final long FRAME_DATA = 0x00;
    static final long FRAME_HEADERS = 0x01;
    static final long FRAME_SETTINGS = 0x04;
    static final long FRAME_GOAWAY = 0x07;
    /** A reserved (grease) frame type, 0x1f * N + 0x21 with N = 0: ignored by receivers; our keep-alive. */
    static final int FRAME_RESERVED_KEEP_ALIVE = 0x21;

    // Settings.
    static final long SETTINGS_QPACK_MAX_TABLE_CAPACITY = 0x01;
    static final long SETTINGS_MAX_FIELD_SECTION_SIZE = 0x06;
    static final long SETTINGS_QPACK_BLOCKED_STREAMS = 0x07;
    static final long SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x08;
    static final long SETTINGS_H3_DATAGRAM = 0x33;
    /** WebTransport draft-02 (what Chromium checks). */
    static final long SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02 = 0x2b603742L;
    /** WebTransport later drafts: maximum sessions. */
    static final long SETTINGS_WT_MAX_SESSIONS_DRAFT07 = 0xc671706aL;
    static final long SETTINGS_WT_MAX_SESSIONS = 0x14e9cd29L;
    /**
     * SETTINGS_WT_ENABLED (draft-ietf-webtrans-http3-13 and later, section 3.1; value 1). quic-go's
     * webtransport-go dialer refuses a server whose SETTINGS lack it. We send none of the
     * SETTINGS_WT_INITIAL_MAX_* settings: flow control is enabled only when both sides send one
     * (section 5.1), and we do not implement the WT_MAX_* capsules.
     */
    static final long SETTINGS_WT_ENABLED = 0x2c7cf000L;

    // Capsules.
    static final long CAPSULE_CLOSE_WEBTRANSPORT_SESSION = 0x2843;
    static final long CAPSULE_DRAIN_WEBTRANSPORT_SESSION = 0x78ae;

    // Error codes.
    static final long H3_NO_ERROR = 0x100;
    static final long H3_GENERAL_PROTOCOL_ERROR = 0x101;
    static final long H3_FRAME_ERROR = 0x106;
    static final long H3_MESSAGE_ERROR = 0x10e;
    static final long QPACK_DECOMPRESSION_FAILED = 0x200;
    /** The first HTTP/3 error code that carries a WebTransport application error. */
    static final long WT_APPLICATION_ERROR_FIRST = 0x52e4a40fa8dbL;

    private H3() {
    }

    /** Maps a WebTransport application error code to the HTTP/3 error space. */
    static long toHttp3(long code) {
        return WT_APPLICATION_ERROR_FIRST + code + code / 0x1e;
    }

    /** Maps an HTTP/3 error code back to a WebTransport application code, or returns it unchanged. */
    static long fromHttp3(long h3) {
        if (h3 < WT_APPLICATION_ERROR_FIRST) {
            return h3;
        }
        long shifted = h3 - WT_APPLICATION_ERROR_FIRST;
        return shifted - shifted / 0x1f;
    }
}
