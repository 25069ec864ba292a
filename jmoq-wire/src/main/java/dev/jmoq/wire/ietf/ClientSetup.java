package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * CLIENT_SETUP (0x20), drafts 14-16: the first message on the bidirectional control stream. Draft
 * 14 lists the offered versions (0xff0000NN) before the setup parameters; 15 and 16 negotiate by
 * ALPN and send only parameters ({@code versions} decodes empty). Draft 14 section 9.3, 15/16 "CLIENT_SETUP".
 */
public record ClientSetup(List<Long> versions, Parameters options) implements IetfMessage {
    public static final long TYPE = 0x20;

    public ClientSetup {
        versions = List.copyOf(versions);
        Objects.requireNonNull(options, "options");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasRequestStreams() ? -1 : TYPE;
    }

    public static ClientSetup decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        List<Long> versions = new ArrayList<>();
        if (v.hasSetupVersions()) {
            int n = Wire.bounded(b, v, IetfLimits.MAX_VERSIONS, "supported version count");
            for (int i = 0; i < n; i++) {
                versions.add(Wire.varint(b, v, "supported version"));
            }
        }
        return new ClientSetup(versions, ParameterCodec.readSetup(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasSetupVersions()) {
            Wire.writeVarint(out, v, versions.size());
            for (long x : versions) {
                Wire.writeVarint(out, v, x);
            }
        }
        ParameterCodec.writeSetup(out, v, options);
    }
}
