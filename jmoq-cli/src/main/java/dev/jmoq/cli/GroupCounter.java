package dev.jmoq.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * Frame counts of the groups being read, one counter per group: a reader follows several groups at once
 * (overlapping groups are normal, e.g. over WebSocket where the newest is sent first), so one shared
 * counter would credit a group with another's frames. Not thread-safe (the reader's callbacks run one at a
 * time).
 */
final class GroupCounter {
    private final Map<Long, long[]> open = new HashMap<>();

    /** A group started. */
    void start(long sequence) {
        open.put(sequence, new long[1]);
    }

    /** A frame of group {@code sequence} (a group not started is started). */
    void frame(long sequence) {
        open.computeIfAbsent(sequence, k -> new long[1])[0]++;
    }

    /** The group ended: its frame count, and it is forgotten. */
    long end(long sequence) {
        long[] n = open.remove(sequence);
        return n == null ? 0 : n[0];
    }

    /** Groups started and not yet ended. */
    int open() {
        return open.size();
    }
}
