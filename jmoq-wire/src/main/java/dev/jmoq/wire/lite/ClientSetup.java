package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT_SETUP of the draft 01/02 negotiation: the client opens a bidi stream with
 * {@link LiteControlType#CLIENT_COMPAT} (0x20), then sends this with a 16-bit big-endian size
 * (moq-transport draft-14 framing): offered versions, then {@link SetupParameter}s. The JS clients
 * offer {@code [lite-02, lite-01, moq-transport-14]}.
 *
 * <p>Version-independent: it precedes negotiation, so the version argument is ignored.
 */
public record ClientSetup(List<Long> versions, List<SetupParameter> parameters) implements LiteMessage {
    public static final MessageDecoder<ClientSetup> DECODER = LiteCodec.u16SizePrefixed("CLIENT_SETUP", (b, v) -> {
        int n = Fields.count(b, LiteLimits.MAX_VERSIONS, 1, "version");
        List<Long> versions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            versions.add(Fields.varint(b, "version"));
        }
        return new ClientSetup(versions, SetupParameter.readAll(b));
    });

    public ClientSetup {
        versions = List.copyOf(versions);
        parameters = List.copyOf(parameters);
        versions.forEach(x -> Fields.checkVarint(x, "version"));
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return true;
    }

    /** Writes the size and body; the 0x20 stream type is written before it with {@link LiteControlType#write}. */
    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.writeU16SizePrefixed(out, v, (w, ver) -> {
            VarInt.write(w, versions.size());
            versions.forEach(x -> VarInt.write(w, x));
            SetupParameter.writeAll(w, parameters);
        });
    }
}
