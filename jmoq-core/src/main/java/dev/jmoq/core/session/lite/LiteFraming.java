package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.session.GroupFraming;
import dev.jmoq.wire.lite.Datagram;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamEncoder;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.LongSupplier;

/**
 * moq-lite group-stream framing: the GROUP data type and header, then a size before each frame; from
 * draft 05 each frame header starts with the zigzag delta of its timestamp against the previous frame of
 * the stream (the first against 0), so draft 05 streams get a fresh {@link FrameHeaders} each, stamped by
 * {@link FrameTimestamps} (the model's timestamp of the frame, else the local time). moq-lite cannot say
 * object ids, extension headers or object status: they stay in the model. Thread-safe (the per-stream
 * state lives in what {@link #frames} returns).
 */
public final class LiteFraming implements GroupFraming {
    private final LiteVersion version;
    /** Writes stream headers only, which carry no state. */
    private final GroupStreamEncoder headers;
    private final GroupStreamEncoder stateless;
    private final LongSupplier millis;
    /** Stamps datagram bodies (stateless apart from the clock, so one serves every datagram). */
    private final FrameTimestamps datagramStamps;
    /** Whether this session's binding may carry datagrams at all (not Qmux: see {@link #supportsDatagrams}). */
    private final boolean datagramBinding;

    public LiteFraming(LiteVersion version) {
        this(version, FrameTimestamps.SYSTEM_MILLIS);
    }

    /**
     * @param datagramBinding false on the Qmux bindings (WebSocket), where draft-lcurley-moq-lite-05
     *                        ("Transports") says "a publisher MUST NOT emit datagrams", whatever the transport
     *                        could carry
     */
    public LiteFraming(LiteVersion version, boolean datagramBinding) {
        this(version, FrameTimestamps.SYSTEM_MILLIS, datagramBinding);
    }

    /** @param millis the clock that stamps frames of tracks without timestamps (draft 05), in milliseconds */
    public LiteFraming(LiteVersion version, LongSupplier millis) {
        this(version, millis, true);
    }

    private LiteFraming(LiteVersion version, LongSupplier millis, boolean datagramBinding) {
        this.version = version;
        this.datagramBinding = datagramBinding;
        this.headers = new GroupStreamEncoder(version);
        this.stateless = version.hasFrameTimestamps() ? null : new GroupStreamEncoder(version);
        this.millis = millis;
        this.datagramStamps = new FrameTimestamps(millis);
    }

    @Override
    public ByteBuf groupHeader(ByteBufAllocator alloc, long subscription, long sequence) {
        ByteBuf out = alloc.buffer(24);
        headers.writeStreamHeader(out, new GroupHeader(subscription, sequence));
        return out;
    }

    /** @throws IllegalStateException on draft 05, whose frame headers depend on the stream ({@link #frames}) */
    @Override
    public ByteBuf frameHeader(ByteBufAllocator alloc, int size) {
        if (stateless == null) {
            throw new IllegalStateException(version + " frame headers carry timestamps: use frames(group)");
        }
        ByteBuf out = alloc.buffer(GroupStreamEncoder.MAX_FRAME_HEADER);
        stateless.writeFrameHeader(out, 0, size);
        return out;
    }

    /**
     * The frame headers of one stream of {@code group}. moq-lite has no object status: a status-only object
     * of an IETF publisher (End of Group, End of Track, Does Not Exist) is skipped (null), and what else the
     * model carries that moq-lite cannot say (object ids, so gaps close; extension headers) is not sent.
     */
    @Override
    public FrameHeaders frames(Group group) {
        FrameHeaders headers = stateless == null ? stamped(group) : (alloc, index, size) -> frameHeader(alloc, size);
        // A status-only object is empty: only empty frames are looked up.
        return (alloc, index, size) -> size == 0 && group.objectStatus(index) != ObjectStatus.NORMAL ? null
                : headers.frameHeader(alloc, index, size);
    }

    /**
     * Draft 05 frame headers for one stream (group stream or FETCH response) of {@code group}: each with its
     * timestamp delta.
     */
    FrameHeaders stamped(Group group) {
        GroupStreamEncoder encoder = new GroupStreamEncoder(version);
        FrameTimestamps timestamps = new FrameTimestamps(millis);
        return (alloc, index, size) -> {
            ByteBuf out = alloc.buffer(GroupStreamEncoder.MAX_FRAME_HEADER);
            encoder.writeFrameHeader(out, timestamps.timestamp(group, index), size);
            return out;
        };
    }

    /**
     * Draft 05+ on raw QUIC and WebTransport: a single-frame group may leave as one QUIC datagram
     * (draft-lcurley-moq-lite-05, "Datagrams"); never on the Qmux bindings ("Transports": bindings 3 and 4).
     */
    @Override
    public boolean supportsDatagrams() {
        return datagramBinding && version.hasDatagrams();
    }

    /** A moq-lite datagram carries a whole group of exactly one frame, never one object of a longer group. */
    @Override
    public boolean datagramCarriesWholeGroup() {
        return true;
    }

    /**
     * The single-frame {@code group} as one datagram body (draft-lcurley-moq-lite-05, "Datagrams"): subscribe
     * id, group sequence, the frame's absolute timestamp ({@link FrameTimestamps}: the model's, else the
     * local milliseconds) and the payload, copied; null when the group is not eligible: its frame is a
     * status-only object, or the body would exceed {@link Datagram#MAX_SIZE} (1200 bytes; "a publisher MUST
     * NOT send a larger one"), so the group goes on a stream. The caller passes {@code index} 0 of an ended
     * one-frame group.
     */
    @Override
    public ByteBuf datagram(ByteBufAllocator alloc, long subscription, Group group, int index, boolean endOfGroup) {
        ByteBuf payload = group.frame(index);
        int size = payload.readableBytes();
        if (size == 0 && group.objectStatus(index) != ObjectStatus.NORMAL) {
            return null;
        }
        long timestamp = datagramStamps.timestamp(group, index);
        if (!Datagram.fits(subscription, group.sequence(), timestamp, size)) {
            return null;
        }
        ByteBuf out = alloc.buffer(Datagram.MAX_HEADER + size);
        Datagram.writeHeader(out, version, subscription, group.sequence(), timestamp);
        out.writeBytes(payload, payload.readerIndex(), size);
        return out;
    }

    public LiteVersion version() {
        return version;
    }
}
