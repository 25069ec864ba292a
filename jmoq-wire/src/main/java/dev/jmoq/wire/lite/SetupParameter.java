package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One parameter of the legacy (draft 01/02) CLIENT_SETUP / SERVER_SETUP, in moq-transport draft-14
 * form: an even id carries a varint value, an odd id a length-prefixed byte string.
 */
public record SetupParameter(long id, long varint, byte[] bytes) {
    /** MAX_REQUEST_ID (moq-transport); the JS clients send 42069. */
    public static final long MAX_REQUEST_ID = 2;
    /** Implementation name, UTF-8. */
    public static final long IMPLEMENTATION = 7;

    public SetupParameter {
        Fields.checkVarint(id, "parameter id");
        if ((id & 1) == 0) {
            Fields.checkVarint(varint, "parameter value");
            bytes = null;
        } else {
            bytes = bytes == null ? new byte[0] : bytes.clone();
            varint = 0;
        }
    }

    public static SetupParameter ofVarint(long id, long value) {
        if ((id & 1) != 0) {
            throw new IllegalArgumentException("varint parameters have even ids: " + id);
        }
        return new SetupParameter(id, value, null);
    }

    public static SetupParameter ofBytes(long id, byte[] value) {
        if ((id & 1) == 0) {
            throw new IllegalArgumentException("byte parameters have odd ids: " + id);
        }
        return new SetupParameter(id, 0, value);
    }

    public boolean isVarint() {
        return (id & 1) == 0;
    }

    @Override
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    static void writeAll(ByteBuf out, List<SetupParameter> params) {
        VarInt.write(out, params.size());
        for (SetupParameter p : params) {
            VarInt.write(out, p.id);
            if (p.isVarint()) {
                VarInt.write(out, p.varint);
            } else {
                Fields.writeBytes(out, p.bytes);
            }
        }
    }

    static List<SetupParameter> readAll(ByteBuf b) throws ProtocolException {
        int n;
        long count = Fields.varint(b, "parameter count");
        if (count > LiteLimits.MAX_PARAMETERS) {
            throw new ProtocolException(LiteErrorCode.TOO_MANY_PARAMETERS, "parameter count " + count, true);
        }
        n = (int) count;
        List<SetupParameter> out = new ArrayList<>(Math.min(n, b.readableBytes()));
        for (int i = 0; i < n; i++) {
            long id = Fields.varint(b, "parameter id");
            for (SetupParameter p : out) {
                if (p.id == id) {
                    throw new ProtocolException(LiteErrorCode.DUPLICATE, "duplicate parameter " + id, true);
                }
            }
            if ((id & 1) == 0) {
                out.add(new SetupParameter(id, Fields.varint(b, "parameter value"), null));
            } else {
                out.add(new SetupParameter(id, 0, Fields.bytes(b, 0xFFFF, "parameter value")));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetupParameter p && p.id == id && p.varint == varint && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Long.hashCode(varint) * 17 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return isVarint() ? "SetupParameter[" + id + "=" + varint + "]"
                : "SetupParameter[" + id + "=0x" + HexFormat.of().formatHex(bytes) + "]";
    }
}
