package dev.jmoq.transport.websocket;

/**
 * The framings a WebSocket can carry, as named by the bare subprotocol.
 *
 * <ul>
 *   <li>{@code webtransport}: the polyfill's original framing. One frame per message, a one-byte type,
 *       STREAM data running to the end of the message, no flow control and no transport parameters.</li>
 *   <li>{@code qmux-00}: QUIC frames (varint types, RFC 9000 layouts) plus QX_TRANSPORT_PARAMETERS; one frame
 *       per message, at most 16384 bytes.</li>
 *   <li>{@code qmux-01}: each message is a record of one or more frames, bounded by {@code max_record_size};
 *       adds PADDING, QX_PING and the idle timeout.</li>
 *   <li>{@code qmux-02}: as 01, and QX_TRANSPORT_PARAMETERS must be the first frame and appear once.</li>
 * </ul>
 */
public enum WireVersion {
    WEBTRANSPORT("webtransport"),
    QMUX_00("qmux-00"),
    QMUX_01("qmux-01"),
    QMUX_02("qmux-02");

    private final String token;

    WireVersion(String token) {
        this.token = token;
    }

    /** The bare subprotocol token ({@code qmux-01}). */
    public String token() {
        return token;
    }

    /** True for the qmux drafts: QUIC frame layouts, transport parameters and flow control. */
    public boolean isQmux() {
        return this != WEBTRANSPORT;
    }

    /** True when a message is a record that may hold several frames (drafts 01 and later). */
    public boolean usesRecords() {
        return this == QMUX_01 || this == QMUX_02;
    }
}
