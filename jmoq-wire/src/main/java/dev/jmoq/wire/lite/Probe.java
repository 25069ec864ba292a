package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * Draft 03+: PROBE, the publisher's report on a probe stream: estimated bitrate (bits/s) and, from
 * draft 04, smoothed RTT (milliseconds). 0 means unknown on the wire; senders round a measured 0 up
 * to 1. On draft 03 the RTT is not sent and decodes as 0.
 */
public record Probe(long bitrate, long rttMillis) implements LiteMessage {
    public static final MessageDecoder<Probe> DECODER = LiteCodec.sizePrefixed("PROBE", LiteVersion::hasProbe,
            (b, v) -> new Probe(Fields.varint(b, "bitrate"), v.hasProbeRtt() ? Fields.varint(b, "rtt") : 0));

    public Probe {
        Fields.checkVarint(bitrate, "bitrate");
        Fields.checkVarint(rttMillis, "rttMillis");
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasProbe();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            VarInt.write(w, bitrate);
            if (ver.hasProbeRtt()) {
                VarInt.write(w, rttMillis);
            }
        });
    }
}
