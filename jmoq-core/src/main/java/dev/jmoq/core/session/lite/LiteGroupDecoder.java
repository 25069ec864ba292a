package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Group;
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
 * moq-lite's incoming group stream: the GROUP data type varint, the group header (subscribe id,
 * sequence), then size-prefixed frames (draft-lcurley-moq-lite, "Group" stream); on draft 05 each frame
 * starts with a zigzag timestamp delta; the absolute timestamp of each frame is given to the ingest
 * ({@link #timestamp()}), which stores it in the model with the frame.
 *
 * <p>Not thread-safe: one per stream. Buffers: bytes that arrive before the type varint is complete are
 * held until it is; {@link #close()} frees them and the decoder's.
 */
final class LiteGroupDecoder implements GroupDecoder {
    private final GroupStreamDecoder decoder;
    private long timestamp = Group.NO_TIMESTAMP;
    private boolean typed;
    private ByteBuf pending;

    LiteGroupDecoder(LiteVersion version, int maxFrameSize) {
        this.decoder = GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, version, maxFrameSize);
    }

    /** Starts the decoder of a stream whose type varint was already read. */
    LiteGroupDecoder typed() {
        this.typed = true;
        return this;
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
        if (frame == null) {
            return null;
        }
        timestamp = frame.timestamp() == Frame.NO_TIMESTAMP ? Group.NO_TIMESTAMP : frame.timestamp();
        return frame.payload();
    }

    @Override
    public long timestamp() {
        return timestamp;
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
