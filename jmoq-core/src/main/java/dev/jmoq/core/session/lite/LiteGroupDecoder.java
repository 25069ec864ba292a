package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.GroupDecoder;
import dev.jmoq.core.session.IncomingGroup;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.Frame;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamDecoder;
import dev.jmoq.wire.lite.LiteDataType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * moq-lite's incoming group stream (drafts 01-04): the GROUP data type varint, the group header
 * (subscribe id, sequence), then size-prefixed frames (draft-lcurley-moq-lite, "Group" stream).
 *
 * <p>Not thread-safe: one per stream. Buffers: bytes that arrive before the type varint is complete are
 * held until it is; {@link #close()} frees them and the decoder's.
 */
final class LiteGroupDecoder implements GroupDecoder {
    private final GroupStreamDecoder decoder;
    private boolean typed;
    private ByteBuf pending;

    LiteGroupDecoder(LiteVersion version, int maxFrameSize) {
        this.decoder = GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, version, maxFrameSize);
    }

    @Override
    public void feed(ByteBuf chunk) throws ProtocolException {
        if (!typed) {
            ByteBuf in = pending == null ? chunk : Unpooled.wrappedBuffer(pending, chunk);
            pending = null;
            if (!VarInt.isReadable(in)) {
                pending = in;
                return;
            }
            long type = VarInt.read(in);
            if (type != LiteDataType.GROUP.code()) {
                in.release();
                throw new ProtocolException(LiteErrorCode.UNEXPECTED_STREAM, "unexpected uni stream type " + type, false);
            }
            typed = true;
            chunk = in;
        }
        decoder.feed(chunk);
    }

    @Override
    public IncomingGroup readHeader() throws ProtocolException {
        if (!typed) {
            return null;
        }
        GroupHeader header = decoder.readHeader();
        return header == null ? null : new IncomingGroup(header.subscribe(), header.sequence());
    }

    @Override
    public ByteBuf readFrame() throws ProtocolException {
        Frame frame = decoder.readFrame();
        return frame == null ? null : frame.payload();
    }

    @Override
    public void finish() throws ProtocolException {
        decoder.finish();
    }

    @Override
    public void close() {
        decoder.close();
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
