package dev.jmoq.transport.websocket;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes {@link Frame}s in the qmux drafts' layouts (RFC 9000 frame layouts plus the qmux
 * extension frames) and in the legacy {@code webtransport} layout. Stateless and thread-safe; no I/O.
 *
 * <p>Decoding reads one frame from the reader index of a message and advances it. A STREAM frame's data is
 * a retained slice of the message (no copy): the caller releases it. Every length is checked against what
 * the message holds before anything is sliced; malformed input raises a {@link ProtocolException} with
 * FRAME_ENCODING_ERROR or PROTOCOL_VIOLATION.
 */
public final class FrameCodec {
    static final long PADDING = 0x00;
    static final long RESET_STREAM = 0x04;
    static final long STOP_SENDING = 0x05;
    static final long STREAM = 0x08;
    static final long MAX_DATA = 0x10;
    static final long MAX_STREAM_DATA = 0x11;
    static final long MAX_STREAMS_BIDI = 0x12;
    static final long MAX_STREAMS_UNI = 0x13;
    static final long DATA_BLOCKED = 0x14;
    static final long STREAMS_BLOCKED_UNI = 0x17;
    static final long CONNECTION_CLOSE = 0x1c;
    static final long APPLICATION_CLOSE = 0x1d;
    static final long RESET_STREAM_AT = 0x24;
    /** DATAGRAM (RFC 9221 section 4): 0x30 runs to the end of the record, 0x31 has a Length. */
    static final long DATAGRAM = 0x30;
    static final long DATAGRAM_WITH_LENGTH = 0x31;
    static final long QX_TRANSPORT_PARAMETERS = 0x3f5153300d0a0d0aL;
    static final long QX_PING_REQUEST = 0x348c67529ef8c7bdL;
    static final long QX_PING_RESPONSE = 0x348c67529ef8c7beL;

    /** Largest reason we put in a close frame; longer reasons are cut (the frame must fit one message). */
    static final int MAX_REASON_BYTES = 1024;

    private FrameCodec() {
    }

    /** Reads a varint or fails with FRAME_ENCODING_ERROR when the message ends inside it. */
    static long readVarInt(ByteBuf in) throws ProtocolException {
        if (!VarInt.isReadable(in)) {
            throw new ProtocolException(TransportError.FRAME_ENCODING_ERROR, "truncated varint", true);
        }
        return VarInt.read(in);
    }

    private static ByteBuf take(ByteBuf in, long len, String what) throws ProtocolException {
        if (len > in.readableBytes()) {
            throw new ProtocolException(TransportError.FRAME_ENCODING_ERROR,
                    what + " length " + len + " exceeds the " + in.readableBytes() + " bytes left", true);
        }
        return in.readSlice((int) len);
    }

    /**
     * Decodes the next frame of a message.
     *
     * @param legacyClose unused when decoding: on qmux-00 both 0x1d layouts are recognised by their length
     */
    public static Frame decode(ByteBuf in, WireVersion version, boolean legacyClose) throws ProtocolException {
        return version.isQmux() ? decodeQmux(in, version, legacyClose) : decodeLegacy(in);
    }

    private static Frame decodeLegacy(ByteBuf in) throws ProtocolException {
        int type = in.readUnsignedByte();
        switch (type) {
            case 0x04 -> {
                return new Frame.ResetStream(readVarInt(in), readVarInt(in), 0);
            }
            case 0x05 -> {
                return new Frame.StopSending(readVarInt(in), readVarInt(in));
            }
            case 0x1c, 0x1d -> {
                long code = readVarInt(in);
                String reason = in.readCharSequence(in.readableBytes(), StandardCharsets.UTF_8).toString();
                return new Frame.ConnectionClose(type == 0x1d, code, reason);
            }
            case 0x08, 0x09 -> {
                long id = readVarInt(in);
                return new Frame.Stream(id, -1, in.readRetainedSlice(in.readableBytes()), type == 0x09);
            }
            default -> throw new ProtocolException(TransportError.FRAME_ENCODING_ERROR,
                    "unknown webtransport frame type 0x" + Integer.toHexString(type), true);
        }
    }

    private static Frame decodeQmux(ByteBuf in, WireVersion version, boolean legacyClose) throws ProtocolException {
        int begin = in.readerIndex();
        long type = readVarInt(in);
        if (type >= STREAM && type <= 0x0f) {
            long id = readVarInt(in);
            long offset = (type & 0x04) != 0 ? readVarInt(in) : -1;
            long len = (type & 0x02) != 0 ? readVarInt(in) : in.readableBytes();
            if (len > in.readableBytes()) {
                throw new ProtocolException(TransportError.FRAME_ENCODING_ERROR,
                        "STREAM length " + len + " exceeds the " + in.readableBytes() + " bytes left", true);
            }
            return new Frame.Stream(id, offset, in.readRetainedSlice((int) len), (type & 0x01) != 0);
        }
        if (type == PADDING && version.usesRecords()) {
            return new Frame.Padding();
        }
        if (type == RESET_STREAM) {
            return new Frame.ResetStream(readVarInt(in), readVarInt(in), readVarInt(in));
        }
        if (type == RESET_STREAM_AT) {
            // Never advertised (reset_stream_at), so receiving it is a violation (RFC 9000 section 19).
            throw new ProtocolException(TransportError.PROTOCOL_VIOLATION, "RESET_STREAM_AT was not negotiated", true);
        }
        if (type == STOP_SENDING) {
            return new Frame.StopSending(readVarInt(in), readVarInt(in));
        }
        if (type == CONNECTION_CLOSE || type == APPLICATION_CLOSE) {
            // Either polyfill may be on the other end of qmux-00: detect the older 0x1d layout on every read.
            return decodeClose(in, type == APPLICATION_CLOSE, version == WireVersion.QMUX_00);
        }
        if (type == MAX_DATA) {
            return new Frame.MaxData(readVarInt(in));
        }
        if (type == MAX_STREAM_DATA) {
            return new Frame.MaxStreamData(readVarInt(in), readVarInt(in));
        }
        if (type == MAX_STREAMS_BIDI || type == MAX_STREAMS_UNI) {
            long max = readVarInt(in);
            if (max > (1L << 60)) {
                throw new ProtocolException(TransportError.FRAME_ENCODING_ERROR, "MAX_STREAMS above 2^60", true);
            }
            return new Frame.MaxStreams(type == MAX_STREAMS_BIDI, max);
        }
        if (type >= DATA_BLOCKED && type <= STREAMS_BLOCKED_UNI) {
            readVarInt(in);
            if (type == 0x15) {
                readVarInt(in);
            }
            return new Frame.Blocked(type);
        }
        if (type == QX_TRANSPORT_PARAMETERS) {
            long len = readVarInt(in);
            return new Frame.Parameters(TransportParameters.decode(take(in, len, "QX_TRANSPORT_PARAMETERS")));
        }
        if ((type == QX_PING_REQUEST || type == QX_PING_RESPONSE) && version.usesRecords()) {
            return new Frame.Ping(type == QX_PING_REQUEST, readVarInt(in));
        }
        if ((type == DATAGRAM || type == DATAGRAM_WITH_LENGTH) && version.usesRecords()) {
            // draft-ietf-quic-qmux-01/02, "Unreliable Datagram Extension": RFC 9221's frames, unchanged; 0x30's
            // payload ends with the record. On qmux-00 jmoq advertises no max_datagram_frame_size: unexpected.
            long len = type == DATAGRAM_WITH_LENGTH ? readVarInt(in) : in.readableBytes();
            ByteBuf data = take(in, len, "DATAGRAM");
            return new Frame.Datagram(data.retain(), in.readerIndex() - begin);
        }
        throw new ProtocolException(TransportError.FRAME_ENCODING_ERROR,
                "unexpected qmux frame type 0x" + Long.toHexString(type), true);
    }

    private static Frame decodeClose(ByteBuf in, boolean application, boolean legacy) throws ProtocolException {
        long code = readVarInt(in);
        if (application && legacy) {
            // The older polyfill writes a Frame Type field in 0x1d too. It sends one frame per message, so the
            // layout whose reason ends exactly at the end of the message is the one that was sent.
            ByteBuf probe = in.duplicate();
            if (!(VarInt.isReadable(probe) && VarInt.read(probe) == probe.readableBytes())) {
                readVarInt(in);
            }
        } else if (!application) {
            readVarInt(in); // the frame type that caused the error
        }
        long len = readVarInt(in);
        String reason = take(in, len, "reason").toString(StandardCharsets.UTF_8);
        return new Frame.ConnectionClose(application, code, reason);
    }

    /** The header of a DATAGRAM frame with a Length (0x31) carrying {@code payload} bytes (qmux-01/02). */
    static ByteBuf datagramHeader(ByteBufAllocator alloc, int payload) {
        ByteBuf out = alloc.buffer(1 + VarInt.size(payload));
        VarInt.write(out, DATAGRAM_WITH_LENGTH);
        VarInt.write(out, payload);
        return out;
    }

    /** Bytes of STREAM header before the payload, for sizing a frame to the peer's limit. */
    static int streamHeaderSize(WireVersion version, long id, long offset, int payload) {
        if (!version.isQmux()) {
            return 1 + VarInt.size(id);
        }
        return 1 + VarInt.size(id) + VarInt.size(offset) + VarInt.size(payload);
    }

    /** Encodes a STREAM header; the payload follows it in the same message. */
    static ByteBuf streamHeader(ByteBufAllocator alloc, WireVersion version, long id, long offset, int payload, boolean fin) {
        ByteBuf out = alloc.buffer(streamHeaderSize(version, id, offset, payload));
        if (version.isQmux()) {
            VarInt.write(out, 0x0e | (fin ? 1 : 0)); // OFF and LEN always set, as the polyfill does
            VarInt.write(out, id);
            VarInt.write(out, offset);
            VarInt.write(out, payload);
        } else {
            out.writeByte(fin ? 0x09 : 0x08);
            VarInt.write(out, id);
        }
        return out;
    }

    /** Encodes any frame but STREAM (use {@link #streamHeader}) into a new buffer the caller owns. */
    static ByteBuf encode(ByteBufAllocator alloc, Frame frame, WireVersion version, boolean legacyClose) {
        ByteBuf out = alloc.buffer(64);
        boolean qmux = version.isQmux();
        switch (frame) {
            case Frame.ResetStream r -> {
                type(out, qmux, RESET_STREAM);
                VarInt.write(out, r.id());
                VarInt.write(out, r.code());
                if (qmux) {
                    VarInt.write(out, r.finalSize());
                }
            }
            case Frame.StopSending s -> {
                type(out, qmux, STOP_SENDING);
                VarInt.write(out, s.id());
                VarInt.write(out, s.code());
            }
            case Frame.ConnectionClose c -> {
                byte[] reason = reasonBytes(c.reason());
                type(out, qmux, c.application() ? APPLICATION_CLOSE : CONNECTION_CLOSE);
                VarInt.write(out, c.code());
                if (qmux) {
                    if (!c.application() || (legacyClose && version == WireVersion.QMUX_00)) {
                        VarInt.write(out, 0); // frame type field
                    }
                    VarInt.write(out, reason.length);
                }
                out.writeBytes(reason);
            }
            case Frame.MaxData m -> {
                requireQmux(qmux, frame);
                VarInt.write(out, MAX_DATA);
                VarInt.write(out, m.max());
            }
            case Frame.MaxStreamData m -> {
                requireQmux(qmux, frame);
                VarInt.write(out, MAX_STREAM_DATA);
                VarInt.write(out, m.id());
                VarInt.write(out, m.max());
            }
            case Frame.MaxStreams m -> {
                requireQmux(qmux, frame);
                VarInt.write(out, m.bidi() ? MAX_STREAMS_BIDI : MAX_STREAMS_UNI);
                VarInt.write(out, m.max());
            }
            case Frame.Parameters p -> {
                requireQmux(qmux, frame);
                ByteBuf body = alloc.buffer(128);
                try {
                    p.params().encode(body, version);
                    VarInt.write(out, QX_TRANSPORT_PARAMETERS);
                    VarInt.write(out, body.readableBytes());
                    out.writeBytes(body);
                } finally {
                    body.release();
                }
            }
            case Frame.Ping p -> {
                requireQmux(qmux, frame);
                VarInt.write(out, p.request() ? QX_PING_REQUEST : QX_PING_RESPONSE);
                VarInt.write(out, p.sequence());
            }
            case Frame.Padding p -> out.writeByte(0);
            case Frame.Datagram d -> throw new IllegalArgumentException("DATAGRAM frames are encoded with datagramHeader");
            case Frame.Blocked b -> throw new IllegalArgumentException("BLOCKED frames are not sent");
            case Frame.Stream s -> throw new IllegalArgumentException("STREAM frames are encoded with streamHeader");
        }
        return out;
    }

    private static void type(ByteBuf out, boolean qmux, long type) {
        if (qmux) {
            VarInt.write(out, type);
        } else {
            out.writeByte((int) type);
        }
    }

    private static void requireQmux(boolean qmux, Frame frame) {
        if (!qmux) {
            throw new IllegalArgumentException(frame.getClass().getSimpleName() + " has no webtransport encoding");
        }
    }

    private static byte[] reasonBytes(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return bytes;
        }
        return java.util.Arrays.copyOf(bytes, MAX_REASON_BYTES);
    }
}
