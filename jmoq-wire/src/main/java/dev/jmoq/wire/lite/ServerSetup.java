package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * SERVER_SETUP of the draft 01/02 negotiation: after {@link LiteControlType#SERVER_COMPAT} (0x21)
 * on the client's setup stream, a 16-bit size, the chosen version and {@link SetupParameter}s. The
 * stream then carries {@link SessionInfo} messages in the chosen draft.
 */
public record ServerSetup(long version, List<SetupParameter> parameters) implements LiteMessage {
    public static final MessageDecoder<ServerSetup> DECODER = LiteCodec.u16SizePrefixed("SERVER_SETUP",
            (b, v) -> new ServerSetup(Fields.varint(b, "version"), SetupParameter.readAll(b)));

    public ServerSetup {
        Fields.checkVarint(version, "version");
        parameters = List.copyOf(parameters);
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return true;
    }

    /** Writes the size and body; write {@link LiteControlType#SERVER_COMPAT} before it. */
    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.writeU16SizePrefixed(out, v, (w, ver) -> {
            VarInt.write(w, version);
            SetupParameter.writeAll(w, parameters);
        });
    }
}
