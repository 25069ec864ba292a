package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One {@code id, length, bytes} entry of a moq-lite parameter bag (lite-05 SETUP parameters, the
 * draft 01/02 SESSION_CLIENT/SESSION_SERVER extensions). Varint-valued parameters hold the varint's
 * encoding as their bytes.
 */
public record LiteParameter(long id, byte[] value) {
    public LiteParameter {
        Fields.checkVarint(id, "parameter id");
        value = value.clone();
    }

    /** A parameter whose value is one varint. */
    public static LiteParameter ofVarint(long id, long v) {
        ByteBuf b = Unpooled.buffer(8);
        VarInt.write(b, v);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return new LiteParameter(id, bytes);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value read as exactly one varint. */
    public long varint() throws ProtocolException {
        ByteBuf b = Unpooled.wrappedBuffer(value);
        long v = Fields.varint(b, "parameter " + id);
        if (b.isReadable()) {
            throw Fields.malformed("trailing bytes after varint parameter " + id);
        }
        return v;
    }

    static void writeAll(ByteBuf out, List<LiteParameter> params) {
        VarInt.write(out, params.size());
        for (LiteParameter p : params) {
            VarInt.write(out, p.id);
            Fields.writeBytes(out, p.value);
        }
    }

    static List<LiteParameter> readAll(ByteBuf b) throws ProtocolException {
        long count = Fields.varint(b, "parameter count");
        if (count > LiteLimits.MAX_PARAMETERS) {
            throw new ProtocolException(LiteErrorCode.TOO_MANY_PARAMETERS, "parameter count " + count, true);
        }
        int n = (int) count;
        if (n * 2L > b.readableBytes()) {
            throw Fields.malformed("truncated parameter list");
        }
        List<LiteParameter> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = Fields.varint(b, "parameter id");
            for (LiteParameter p : out) {
                if (p.id == id) {
                    throw new ProtocolException(LiteErrorCode.DUPLICATE, "duplicate parameter " + id, true);
                }
            }
            out.add(new LiteParameter(id, Fields.bytes(b, b.readableBytes(), "parameter value")));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LiteParameter p && p.id == id && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "LiteParameter[" + id + "=0x" + HexFormat.of().formatHex(value) + "]";
    }
}
