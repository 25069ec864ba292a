package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * What a unidirectional stream is, from its first varint (draft 14+ "Data Streams"; 17+ control
 * streams; 18+ padding). The first varint belongs to what follows: the SUBGROUP_HEADER type, FETCH_HEADER
 * type, or (17+) the SETUP message type of a control stream. So {@link #peek} does not consume it, and the
 * stream goes from its first byte to {@link SubgroupStreamDecoder}, {@link FetchStreamDecoder} or
 * {@link ControlCodec}.
 */
public enum DataStreamType {
    SUBGROUP,
    FETCH,
    /** Draft 17+: the peer's control stream (its first message, SETUP 0x2F00, starts with this type). */
    CONTROL,
    /** Draft 18+: padding to discard. */
    PADDING;

    public static final long PADDING_STREAM = 0x132B3E28L;
    public static final long PADDING_DATAGRAM = 0x132B3E29L;

    /**
     * The kind of the uni stream whose first bytes are in {@code in}, without consuming them; null while
     * the first varint is incomplete. An unknown type is a PROTOCOL_VIOLATION ("An endpoint that
     * receives an unknown stream type MUST close the session").
     */
    public static DataStreamType peek(ByteBuf in, IetfVersion v) throws ProtocolException {
        if (!v.varint().isReadable(in)) {
            return null;
        }
        long type = v.varint().get(in, in.readerIndex());
        DataStreamType kind = of(type, v);
        if (kind == null) {
            throw Wire.malformed("unknown unidirectional stream type 0x" + Long.toHexString(type) + " in " + v);
        }
        return kind;
    }

    /** The kind of a uni stream starting with {@code type}, or null when the draft has none (PROTOCOL_VIOLATION). */
    public static DataStreamType of(long type, IetfVersion v) {
        if (type == FetchHeader.TYPE) {
            return FETCH;
        }
        if (SubgroupHeader.isSubgroupType(type, v)) {
            return SUBGROUP;
        }
        if (type == Setup.TYPE && v.hasRequestStreams()) {
            return CONTROL;
        }
        if (type == PADDING_STREAM && v.hasPadding()) {
            return PADDING;
        }
        return null;
    }
}
