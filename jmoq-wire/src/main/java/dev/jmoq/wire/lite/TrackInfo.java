package dev.jmoq.wire.lite;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * Draft 05+: TRACK_INFO, a track's immutable properties: publisher priority, ordered, max latency
 * (milliseconds the publisher keeps a non-latest group) and the timescale (units per second, never
 * 0) of every frame timestamp.
 */
public record TrackInfo(int priority, boolean ordered, long latencyMaxMillis, long timescale) implements LiteMessage {
    public static final MessageDecoder<TrackInfo> DECODER = LiteCodec.sizePrefixed("TRACK_INFO",
            LiteVersion::hasTrackStream, (b, v) -> {
                int priority = Fields.u8(b, "priority");
                boolean ordered = Fields.bool(b, "ordered");
                long latency = Fields.varint(b, "latency max");
                long timescale = Fields.varint(b, "timescale");
                if (timescale == 0) {
                    throw Fields.malformed("track timescale must be non-zero");
                }
                return new TrackInfo(priority, ordered, latency, timescale);
            });

    public TrackInfo {
        Fields.checkU8(priority, "priority");
        Fields.checkVarint(latencyMaxMillis, "latencyMaxMillis");
        if (timescale <= 0 || timescale > VarInt.MAX) {
            throw new IllegalArgumentException("timescale must be positive: " + timescale);
        }
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasTrackStream();
    }

    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> {
            w.writeByte(priority);
            Fields.writeBool(w, ordered);
            VarInt.write(w, latencyMaxMillis);
            VarInt.write(w, timescale);
        });
    }
}
