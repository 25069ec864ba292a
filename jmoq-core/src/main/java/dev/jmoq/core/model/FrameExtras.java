package dev.jmoq.core.model;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * What a group's frames carry besides their payload, as arrays parallel to the group's frames: timestamps
 * (moq-lite-05), object ids (IETF objects may skip ids), extension headers as received, object status.
 * Each array exists only once some frame needed it; a group whose frames are all plain has no
 * {@code FrameExtras} at all.
 *
 * <p>Concurrency: written only by the group's single writer, before it publishes the frame count; readers
 * read the count first (a volatile read), so they see the arrays and slots that count covers. Buffers: the
 * extension headers belong to the group and are released with its frames ({@link #release}).
 */
final class FrameExtras {
    private long[] timestamps;
    private long[] objectIds;
    private ByteBuf[] extensions;
    private byte[] statuses;

    /** Slot {@code n} of a plain frame appended after frames with extras: the defaults. */
    void plain(int n) {
        if (timestamps != null) {
            timestamps[n] = Group.NO_TIMESTAMP;
        }
        if (objectIds != null) {
            objectIds[n] = n == 0 ? 0 : objectIds[n - 1] + 1;
        }
        // extensions[n] and statuses[n] are already null and NORMAL (0): slots are never reused.
    }

    /**
     * Records frame {@code n}'s extras in arrays of {@code capacity} slots, allocating an array only when
     * this frame or an earlier one needs it. Takes ownership of {@code extensionHeaders}.
     */
    void set(int n, int capacity, long objectId, long timestamp, ByteBuf extensionHeaders, int status) {
        if (timestamp != Group.NO_TIMESTAMP || timestamps != null) {
            if (timestamps == null) {
                timestamps = new long[capacity];
                Arrays.fill(timestamps, 0, n, Group.NO_TIMESTAMP);
            }
            timestamps[n] = timestamp;
        }
        if (objectId != n || objectIds != null) {
            if (objectIds == null) {
                objectIds = new long[capacity];
                for (int i = 0; i < n; i++) {
                    objectIds[i] = i;
                }
            }
            objectIds[n] = objectId;
        }
        if (extensionHeaders != null || extensions != null) {
            if (extensions == null) {
                extensions = new ByteBuf[capacity];
            }
            extensions[n] = extensionHeaders;
        }
        if (status != ObjectStatus.NORMAL || statuses != null) {
            if (statuses == null) {
                statuses = new byte[capacity];
            }
            statuses[n] = (byte) status;
        }
    }

    /** Grows every array that exists to {@code size} slots. */
    void grow(int size) {
        if (timestamps != null) {
            timestamps = Arrays.copyOf(timestamps, size);
        }
        if (objectIds != null) {
            objectIds = Arrays.copyOf(objectIds, size);
        }
        if (extensions != null) {
            extensions = Arrays.copyOf(extensions, size);
        }
        if (statuses != null) {
            statuses = Arrays.copyOf(statuses, size);
        }
    }

    boolean hasTimestamps() {
        return timestamps != null;
    }

    long timestamp(int i) {
        return timestamps == null ? Group.NO_TIMESTAMP : timestamps[i];
    }

    long objectId(int i) {
        return objectIds == null ? i : objectIds[i];
    }

    ByteBuf extensions(int i) {
        return extensions == null ? null : extensions[i];
    }

    int status(int i) {
        return statuses == null ? ObjectStatus.NORMAL : statuses[i] & 0xFF;
    }

    /** Releases the extension headers of frames {@code 0..n-1}. */
    void release(int n) {
        if (extensions != null) {
            for (int i = 0; i < n; i++) {
                if (extensions[i] != null) {
                    extensions[i].release();
                    extensions[i] = null;
                }
            }
        }
    }
}
