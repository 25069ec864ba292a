package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SERVER_SETUP (0x21), drafts 14-16: the server's answer to CLIENT_SETUP. Draft 14 carries the
 * selected version; on 15 and 16 the field is absent and {@code selectedVersion} decodes as the
 * draft's own code. Draft 14 section 9.3, 15/16 "SERVER_SETUP".
 */
public record ServerSetup(long selectedVersion, Parameters options) implements IetfMessage {
    public static final long TYPE = 0x21;

    public ServerSetup {
        Objects.requireNonNull(options, "options");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasRequestStreams() ? -1 : TYPE;
    }

    public static ServerSetup decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long version = v.hasSetupVersions() ? Wire.varint(b, v, "selected version") : v.code();
        return new ServerSetup(version, ParameterCodec.readSetup(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        if (v.hasSetupVersions()) {
            Wire.writeVarint(out, v, selectedVersion);
        }
        ParameterCodec.writeSetup(out, v, options);
    }
}
