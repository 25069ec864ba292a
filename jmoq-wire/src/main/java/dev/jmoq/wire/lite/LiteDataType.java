package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/** The varint that opens every moq-lite unidirectional stream. */
public enum LiteDataType {
    /** A group of frames: GROUP header then frames until FIN. */
    GROUP(0x0),
    /** Draft 05+: one SETUP message, then FIN. */
    SETUP(0x1);

    private final long code;

    LiteDataType(long code) {
        this.code = code;
    }

    public long code() {
        return code;
    }

    /** True when a uni stream of this type exists in draft {@code v}. */
    public boolean existsIn(LiteVersion v) {
        return this == GROUP || v.hasSetupStream();
    }

    public void write(ByteBuf out) {
        VarInt.write(out, code);
    }

    /**
     * Reads the type opening a uni stream, or returns null (consuming nothing) while incomplete.
     * An unknown type, or one the draft lacks, rejects that stream only.
     */
    public static LiteDataType tryRead(ByteBuf in, LiteVersion v) throws ProtocolException {
        if (!VarInt.isReadable(in)) {
            return null;
        }
        int start = in.readerIndex();
        long code = VarInt.read(in);
        for (LiteDataType t : values()) {
            if (t.code == code && t.existsIn(v)) {
                return t;
            }
        }
        in.readerIndex(start);
        throw new ProtocolException(LiteErrorCode.UNEXPECTED_STREAM,
                "unexpected uni stream type " + code + " in " + v, false);
    }
}
