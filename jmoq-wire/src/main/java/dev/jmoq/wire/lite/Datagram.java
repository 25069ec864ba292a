package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * Draft 05+: a single-frame group carried in one QUIC datagram: subscribe id, group sequence,
 * absolute timestamp, then the payload up to the datagram's end (no length prefix).
 *
 * <p>The payload of a decoded Datagram is a retained slice of the received datagram, owned by
 * the caller.
 *
 * <p>Size: the whole body is at most {@link #MAX_SIZE} bytes (lite-05 draft, Datagrams). A sender must not
 * send a larger one (check with {@link #fits}; such a group goes on a stream instead, it is not converted);
 * a receiver drops it, which {@link #decode} reports as a non-fatal BOUNDS_EXCEEDED.
 */
public record Datagram(long subscribe, long sequence, long timestamp, ByteBuf payload) {
    /** Upper bound on {@link #writeHeader}'s output. */
    public static final int MAX_HEADER = 24;
    /** Largest datagram body, header included, in bytes: fits the minimum QUIC path MTU unfragmented. */
    public static final int MAX_SIZE = 1200;

    /** True when a datagram with this header and {@code payloadBytes} of payload is at most {@link #MAX_SIZE}. */
    public static boolean fits(long subscribe, long sequence, long timestamp, int payloadBytes) {
        return (long) VarInt.size(subscribe) + VarInt.size(sequence) + VarInt.size(timestamp) + payloadBytes
                <= MAX_SIZE;
    }

    /** Writes the header; the caller appends the payload (or sends header and payload as one composite). */
    public static void writeHeader(ByteBuf out, LiteVersion v, long subscribe, long sequence, long timestamp) {
        if (!v.hasDatagrams()) {
            throw new IllegalArgumentException("datagrams do not exist in " + v);
        }
        VarInt.write(out, subscribe);
        VarInt.write(out, sequence);
        VarInt.write(out, timestamp);
    }

    /** Decodes a whole datagram. Does not consume or release {@code datagram}. */
    public static Datagram decode(ByteBuf datagram, LiteVersion v) throws ProtocolException {
        if (!v.hasDatagrams()) {
            throw new ProtocolException(LiteErrorCode.VERSION, "datagram in " + v, true);
        }
        if (datagram.readableBytes() > MAX_SIZE) {
            throw new ProtocolException(LiteErrorCode.BOUNDS_EXCEEDED,
                    "datagram of " + datagram.readableBytes() + " bytes over " + MAX_SIZE, false);
        }
        ByteBuf b = datagram.duplicate();
        long subscribe = Fields.varint(b, "datagram subscribe id");
        long sequence = Fields.varint(b, "datagram sequence");
        long timestamp = Fields.varint(b, "datagram timestamp");
        return new Datagram(subscribe, sequence, timestamp, b.retainedSlice());
    }

    public void release() {
        payload.release();
    }
}
