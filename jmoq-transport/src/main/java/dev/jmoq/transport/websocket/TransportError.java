package dev.jmoq.transport.websocket;

/** QUIC transport error codes (RFC 9000 section 20.1) that qmux reuses in CONNECTION_CLOSE (0x1c). */
public final class TransportError {
    public static final long NO_ERROR = 0x0;
    public static final long INTERNAL_ERROR = 0x1;
    public static final long FLOW_CONTROL_ERROR = 0x3;
    public static final long STREAM_LIMIT_ERROR = 0x4;
    public static final long STREAM_STATE_ERROR = 0x5;
    public static final long FINAL_SIZE_ERROR = 0x6;
    public static final long FRAME_ENCODING_ERROR = 0x7;
    public static final long TRANSPORT_PARAMETER_ERROR = 0x8;
    public static final long PROTOCOL_VIOLATION = 0xa;

    private TransportError() {
    }
}
