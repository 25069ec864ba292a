package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.session.GroupFraming;
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

    public LiteFraming(LiteVersion version) {
        this(version, FrameTimestamps.SYSTEM_MILLIS);
    }

    /** @param millis the clock that stamps frames of tracks without timestamps (draft 05), in milliseconds */
    public LiteFraming(LiteVersion version, LongSupplier millis) {
        this.version = version;
        this.headers = new GroupStreamEncoder(version);
        this.stateless = version.hasFrameTimestamps() ? null : new GroupStreamEncoder(version);
        this.millis = millis;
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

    public LiteVersion version() {
        return version;
    }
}
