package dev.jmoq.transport.websocket;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.HashSet;
import java.util.Set;

/**
 * The qmux transport parameters (QX_TRANSPORT_PARAMETERS payload): QUIC's flow-control parameters plus
 * {@code max_record_size} (drafts 01 and later). Immutable. Absent parameters take their defaults: 0 for
 * every limit, 16382 for {@code max_record_size}.
 */
public record TransportParameters(
        long maxIdleTimeoutMillis,
        long initialMaxData,
        long initialMaxStreamDataBidiLocal,
        long initialMaxStreamDataBidiRemote,
        long initialMaxStreamDataUni,
        long initialMaxStreamsBidi,
        long initialMaxStreamsUni,
        long maxDatagramFrameSize,
        long maxRecordSize) {

    /** The default and minimum {@code max_record_size} of draft-01. */
    public static final long DEFAULT_MAX_RECORD_SIZE = 16382;

    static final long ID_MAX_IDLE_TIMEOUT = 0x01;
    static final long ID_INITIAL_MAX_DATA = 0x04;
    static final long ID_MAX_STREAM_DATA_BIDI_LOCAL = 0x05;
    static final long ID_MAX_STREAM_DATA_BIDI_REMOTE = 0x06;
    static final long ID_MAX_STREAM_DATA_UNI = 0x07;
    static final long ID_MAX_STREAMS_BIDI = 0x08;
    static final long ID_MAX_STREAMS_UNI = 0x09;
    static final long ID_MAX_DATAGRAM_FRAME_SIZE = 0x20;
    static final long ID_MAX_RECORD_SIZE = 0x0571c59429cd0845L;
    static final long ID_RESET_STREAM_AT = 0x1d;

    /** What a peer that sent nothing is assumed to allow. */
    public static final TransportParameters DEFAULTS =
            new TransportParameters(0, 0, 0, 0, 0, 0, 0, 0, DEFAULT_MAX_RECORD_SIZE);

    /** Writes the parameters; zero values are omitted (they equal the default), as the polyfill does. */
    public void encode(ByteBuf out, WireVersion version) {
        if (version.usesRecords()) {
            put(out, ID_MAX_IDLE_TIMEOUT, maxIdleTimeoutMillis);
        }
        put(out, ID_INITIAL_MAX_DATA, initialMaxData);
        put(out, ID_MAX_STREAM_DATA_BIDI_LOCAL, initialMaxStreamDataBidiLocal);
        put(out, ID_MAX_STREAM_DATA_BIDI_REMOTE, initialMaxStreamDataBidiRemote);
        put(out, ID_MAX_STREAM_DATA_UNI, initialMaxStreamDataUni);
        put(out, ID_MAX_STREAMS_BIDI, initialMaxStreamsBidi);
        put(out, ID_MAX_STREAMS_UNI, initialMaxStreamsUni);
        if (version.usesRecords()) {
            put(out, ID_MAX_DATAGRAM_FRAME_SIZE, maxDatagramFrameSize);
            if (maxRecordSize != DEFAULT_MAX_RECORD_SIZE) {
                put(out, ID_MAX_RECORD_SIZE, maxRecordSize);
            }
        }
    }

    private static void put(ByteBuf out, long id, long value) {
        if (value == 0) {
            return;
        }
        VarInt.write(out, id);
        VarInt.write(out, VarInt.size(value));
        VarInt.write(out, value);
    }

    /** Reads parameters from exactly the readable bytes of {@code in}. */
    public static TransportParameters decode(ByteBuf in) throws ProtocolException {
        long idle = 0, data = 0, bidiLocal = 0, bidiRemote = 0, uni = 0, streamsBidi = 0, streamsUni = 0;
        long datagram = 0, record = DEFAULT_MAX_RECORD_SIZE;
        Set<Long> seen = new HashSet<>();
        while (in.isReadable()) {
            long id = FrameCodec.readVarInt(in);
            long len = FrameCodec.readVarInt(in);
            if (len > in.readableBytes()) {
                throw error("transport parameter 0x" + Long.toHexString(id) + " truncated");
            }
            ByteBuf value = in.readSlice((int) len);
            if (id == 0x00 || id == 0x02 || id == 0x03 || (id >= 0x0a && id <= 0x10)) {
                throw error("transport parameter 0x" + Long.toHexString(id) + " is not allowed in qmux");
            }
            boolean known = id == ID_MAX_IDLE_TIMEOUT || (id >= ID_INITIAL_MAX_DATA && id <= ID_MAX_STREAMS_UNI)
                    || id == ID_MAX_DATAGRAM_FRAME_SIZE || id == ID_MAX_RECORD_SIZE || id == ID_RESET_STREAM_AT;
            if (!known) {
                continue; // extensions are ignorable (RFC 9000 section 18.1)
            }
            if (!seen.add(id)) {
                throw error("duplicate transport parameter 0x" + Long.toHexString(id));
            }
            if (id == ID_RESET_STREAM_AT) {
                continue; // presence only; we never send RESET_STREAM_AT
            }
            long v = FrameCodec.readVarInt(value);
            if (value.isReadable()) {
                throw error("transport parameter 0x" + Long.toHexString(id) + " has trailing bytes");
            }
            switch ((int) id) {
                case (int) ID_MAX_IDLE_TIMEOUT -> idle = v;
                case (int) ID_INITIAL_MAX_DATA -> data = v;
                case (int) ID_MAX_STREAM_DATA_BIDI_LOCAL -> bidiLocal = v;
                case (int) ID_MAX_STREAM_DATA_BIDI_REMOTE -> bidiRemote = v;
                case (int) ID_MAX_STREAM_DATA_UNI -> uni = v;
                case (int) ID_MAX_STREAMS_BIDI -> streamsBidi = v;
                case (int) ID_MAX_STREAMS_UNI -> streamsUni = v;
                case (int) ID_MAX_DATAGRAM_FRAME_SIZE -> datagram = v;
                default -> {
                    if (v < DEFAULT_MAX_RECORD_SIZE) {
                        throw error("max_record_size " + v + " below the minimum " + DEFAULT_MAX_RECORD_SIZE);
                    }
                    record = v;
                }
            }
        }
        if (streamsBidi > (1L << 60) || streamsUni > (1L << 60)) {
            throw error("initial_max_streams above 2^60");
        }
        return new TransportParameters(idle, data, bidiLocal, bidiRemote, uni, streamsBidi, streamsUni, datagram, record);
    }

    private static ProtocolException error(String message) {
        return new ProtocolException(TransportError.TRANSPORT_PARAMETER_ERROR, message, true);
    }
}
