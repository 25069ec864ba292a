package dev.jmoq.core.model;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;

/** Test fixtures: frames that say which group and index they are, and small cache configurations. */
final class Frames {
    private Frames() {
    }

    /** A frame of {@code size} bytes (at least 12) carrying the group sequence and the frame index. The caller owns it. */
    static ByteBuf frame(ByteBufAllocator alloc, long sequence, int index, int size) {
        ByteBuf b = alloc.buffer(Math.max(12, size));
        b.writeLong(sequence).writeInt(index);
        b.writeZero(Math.max(12, size) - 12);
        return b;
    }

    static ByteBuf frame(long sequence, int index) {
        return frame(PooledByteBufAllocator.DEFAULT, sequence, index, 12);
    }

    static long sequenceOf(ByteBuf frame) {
        return frame.getLong(frame.readerIndex());
    }

    static int indexOf(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + 8);
    }

    static CacheConfig cache(int maxGroups) {
        return new CacheConfig(maxGroups, Duration.ofHours(1), ByteBudget.unlimited());
    }

    static CacheConfig cache(int maxGroups, ByteBudget budget) {
        return new CacheConfig(maxGroups, Duration.ofHours(1), budget);
    }

    /** Appends {@code frames} frames of {@code size} bytes to a new group and finishes it. */
    static Group publish(Track track, long sequence, int frames, int size) {
        Group g = track.createGroup(sequence);
        if (g == null) {
            return null;
        }
        for (int i = 0; i < frames; i++) {
            g.append(frame(PooledByteBufAllocator.DEFAULT, sequence, i, size));
        }
        g.finish();
        return g;
    }
}
