package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.function.Predicate;

/**
 * Entry points for reading and writing moq-lite messages on accumulated stream bytes, and the
 * framings the message codecs share. Stateless and thread-safe.
 *
 * <p>Buffer ownership: nothing here retains or releases the caller's buffers.
 */
public final class LiteCodec {
    private LiteCodec() {
    }

    /**
     * Decodes one message at {@code in}'s reader index, or returns null (consuming nothing) while it
     * is incomplete. See {@link MessageDecoder} for the contract.
     */
    public static <M> M tryRead(ByteBuf in, LiteVersion v, MessageDecoder<M> decoder, int maxSize)
            throws ProtocolException {
        return decoder.tryDecode(in, v, maxSize);
    }

    /** Writes {@code m} with its framing. */
    public static void write(ByteBuf out, LiteMessage m, LiteVersion v) {
        m.encode(out, v);
    }

    /** Reads a bare varint (a stream or response type), or returns null, consuming nothing, while incomplete. */
    public static Long tryReadVarint(ByteBuf in) {
        return VarInt.isReadable(in) ? VarInt.read(in) : null;
    }

    static void requireExists(LiteMessage m, LiteVersion v) {
        if (!m.existsIn(v)) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + " does not exist in " + v);
        }
    }

    static ProtocolException notInVersion(String name, LiteVersion v) {
        return new ProtocolException(LiteErrorCode.VERSION, name + " does not exist in " + v, true);
    }

    /** Writes a varint size prefix and the body. Control messages are small and rare, so a scratch buffer is fine. */
    static void writeSizePrefixed(ByteBuf out, LiteVersion v, BodyEncoder body) {
        ByteBuf scratch = out.alloc().heapBuffer(64);
        try {
            body.encodeBody(scratch, v);
            VarInt.write(out, scratch.readableBytes());
            out.writeBytes(scratch);
        } finally {
            scratch.release();
        }
    }

    /** Writes a 16-bit big-endian size prefix and the body (the legacy setup framing). */
    static void writeU16SizePrefixed(ByteBuf out, LiteVersion v, BodyEncoder body) {
        ByteBuf scratch = out.alloc().heapBuffer(64);
        try {
            body.encodeBody(scratch, v);
            if (scratch.readableBytes() > 0xFFFF) {
                throw new IllegalArgumentException("message too large for a 16-bit size: " + scratch.readableBytes());
            }
            out.writeShort(scratch.readableBytes());
            out.writeBytes(scratch);
        } finally {
            scratch.release();
        }
    }

    /** A decoder for a varint-size-prefixed body. */
    static <M> MessageDecoder<M> sizePrefixed(String name, Predicate<LiteVersion> exists, BodyDecoder<M> body) {
        return (in, v, maxSize) -> {
            if (!exists.test(v)) {
                throw notInVersion(name, v);
            }
            if (!VarInt.isReadable(in)) {
                return null;
            }
            int start = in.readerIndex();
            int prefix = VarInt.peekLength(in);
            long size = VarInt.get(in, start);
            return decodeBounded(in, v, maxSize, name, body, start, prefix, size);
        };
    }

    /** A decoder for a body behind a 16-bit big-endian size (CLIENT_SETUP / SERVER_SETUP). */
    static <M> MessageDecoder<M> u16SizePrefixed(String name, BodyDecoder<M> body) {
        return (in, v, maxSize) -> {
            if (in.readableBytes() < 2) {
                return null;
            }
            int start = in.readerIndex();
            return decodeBounded(in, v, maxSize, name, body, start, 2, in.getUnsignedShort(start));
        };
    }

    /** Checks the declared size against the bound, waits for the body, decodes it from a slice. */
    static <M> M decodeBounded(ByteBuf in, LiteVersion v, int maxSize, String name, BodyDecoder<M> body,
            int start, int prefix, long size) throws ProtocolException {
        if (size > maxSize) {
            throw new ProtocolException(LiteErrorCode.BOUNDS_EXCEEDED,
                    name + " size " + size + " exceeds limit " + maxSize, true, ProtocolException.Limit.MESSAGE_SIZE);
        }
        if (in.readableBytes() - prefix < size) {
            return null;
        }
        ByteBuf slice = in.slice(start + prefix, (int) size);
        M m = body.decodeBody(slice, v);
        if (slice.isReadable()) {
            throw Fields.malformed(name + " has " + slice.readableBytes() + " trailing bytes");
        }
        in.readerIndex(start + prefix + (int) size);
        return m;
    }
}
