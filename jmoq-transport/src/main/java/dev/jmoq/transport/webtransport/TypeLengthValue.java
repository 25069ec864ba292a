package dev.jmoq.transport.webtransport;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * An HTTP/3 frame or an HTTP capsule: both are a varint type, a varint length and that many bytes.
 * The value is a slice of the input, valid while the input is. Stateless reads.
 */
record TypeLengthValue(long type, ByteBuf value) {
    /**
     * Reads one at the reader index, or returns null (consuming nothing) while incomplete. A length above
     * {@code max} fails with {@code errorCode} before the value is awaited.
     */
    static TypeLengthValue tryRead(ByteBuf in, int max, long errorCode) throws ProtocolException {
        int mark = in.readerIndex();
        if (!VarInt.isReadable(in)) {
            return null;
        }
        long type = VarInt.read(in);
        if (!VarInt.isReadable(in)) {
            in.readerIndex(mark);
            return null;
        }
        long len = VarInt.read(in);
        if (len > max) {
            throw new ProtocolException(errorCode, "HTTP/3 frame or capsule of " + len + " bytes", true);
        }
        if (in.readableBytes() < len) {
            in.readerIndex(mark);
            return null;
        }
        return new TypeLengthValue(type, in.readSlice((int) len));
    }
}
