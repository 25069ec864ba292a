package dev.jmoq.core.session.lite;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The per-frame timestamps a moq-lite-05 publisher sent for one track, kept beside the track's groups
 * until the model carries timestamps itself (see {@link FrameTimestamps}). Values are absolute, in the
 * timescale of the publisher's TRACK_INFO, exactly as decoded.
 *
 * <p>A ring of the track's arrival-ring size, indexed by group sequence: a group that the ring no longer
 * holds has no recorded stamps, and {@link FrameTimestamps} falls back to local time for it.
 *
 * <p>Concurrency contract: one writer (the session's ingest, on its event loop) records a frame's stamp
 * before it appends the frame to the group; readers on any thread read a stamp only for a frame the
 * group's volatile count has published, so they see it.
 */
final class TrackStamps {
    private final AtomicReferenceArray<GroupStamps> ring;
    private final int mask;

    /** @param size a power of two: how many groups are remembered */
    TrackStamps(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two: " + size);
        }
        this.ring = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** Starts recording group {@code sequence} (replacing whatever its slot held). Writer only. */
    GroupStamps begin(long sequence) {
        GroupStamps g = new GroupStamps(sequence);
        ring.set((int) (sequence & mask), g);
        return g;
    }

    /** The stamp of frame {@code index} of group {@code sequence}, or -1 when it was not recorded. */
    long timestamp(long sequence, int index) {
        GroupStamps g = ring.get((int) (sequence & mask));
        return g == null || g.sequence != sequence ? -1 : g.get(index);
    }

    /** One group's stamps, in frame order. */
    static final class GroupStamps {
        private final long sequence;
        private volatile long[] values = new long[4];
        private int count;

        private GroupStamps(long sequence) {
            this.sequence = sequence;
        }

        /** Records the stamp of the next frame. Writer only, before the frame is appended. */
        void add(long timestamp) {
            long[] v = values;
            if (count == v.length) {
                long[] bigger = new long[v.length << 1];
                System.arraycopy(v, 0, bigger, 0, count);
                v = bigger;
            }
            v[count++] = timestamp;
            values = v; // volatile: published before the frame's count
        }

        long get(int index) {
            long[] v = values;
            return index < v.length ? v[index] : -1;
        }
    }
}
