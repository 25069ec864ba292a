package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SETUP (0x2F00), draft 17+: the first message each peer writes on its unidirectional control
 * stream; Setup Options (Key-Value-Pairs, delta-coded types) run to the end of the message. Draft 17+
 * "SETUP".
 */
public record Setup(Parameters options) implements IetfMessage {
    public static final long TYPE = 0x2F00;

    public Setup {
        Objects.requireNonNull(options, "options");
    }

    @Override
    public long type(IetfVersion v) {
        return v.hasRequestStreams() ? TYPE : -1;
    }

    public static Setup decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        return new Setup(ParameterCodec.readSetup(b, v));
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        ParameterCodec.writeSetup(out, v, options);
    }
}
