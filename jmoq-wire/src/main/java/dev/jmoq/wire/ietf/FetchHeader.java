package dev.jmoq.wire.ietf;

import io.netty.buffer.ByteBuf;

/** FETCH_HEADER (stream type 0x05): the start of the data stream answering FETCH {@code requestId}. */
public record FetchHeader(long requestId) {
    public static final long TYPE = 0x05;

    /** Writes the stream type and the Request ID. */
    public void encode(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, TYPE);
        Wire.writeVarint(out, v, requestId);
    }
}
