package dev.jmoq.wire.ietf;

/**
 * What a unidirectional stream is, from its first varint (draft 14+ "Data Streams"; 17+ control
 * streams; 18+ padding).
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
