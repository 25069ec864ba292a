package dev.jmoq.core.session;

import java.util.ArrayDeque;

/**
 * The slow-subscriber bounds of a {@link GroupEgress}: which of a subscription's groups are given up
 * (policy and why: docs/ARCHITECTURE.md, "Egress policy"). Always the oldest first, whatever the group
 * order: the order chooses which group is preferred, never how much is kept. Stateless; the egress's event
 * loop. Each group given up here gives back the egress's reference to it.
 */
final class EgressBounds {
    private EgressBounds() {
    }

    /**
     * Groups still waiting for a stream (the peer's stream credit is used up) beyond {@code bound}: the
     * oldest are dropped unsent (counted as lagging). Returns how many were dropped.
     */
    static int dropExcessWaiting(ArrayDeque<EgressGroup> sending, int waiting, int bound, EgressStats stats) {
        int dropped = 0;
        var it = sending.iterator();
        while (waiting - dropped > bound && it.hasNext()) {
            EgressGroup s = it.next();
            if (s.stream == null && !s.datagrams) {
                it.remove();
                dropped++;
                s.group.release();
                stats.groupsResetLagging.increment();
            }
        }
        return dropped;
    }

    /** The transport cannot open streams (closing): drops the oldest waiting group; false when none waits. */
    static boolean dropOldestWaiting(ArrayDeque<EgressGroup> sending, EgressStats stats) {
        for (var it = sending.iterator(); it.hasNext(); ) {
            EgressGroup s = it.next();
            if (s.stream == null && !s.datagrams) {
                it.remove();
                s.group.release();
                stats.groupsSkipped.increment();
                return true;
            }
        }
        return false;
    }

    /**
     * After writing, groups whose stream holds a backlog (frames received that the stream could not take)
     * beyond {@code groupsInFlight} are the ones this subscriber cannot keep up with: the oldest are reset
     * with {@code code} so the newest get the link. A group that is merely still open at the publisher has
     * no backlog and is never reset; neither is a burst the transport absorbs. Returns how many were reset.
     */
    static int resetLagging(ArrayDeque<EgressGroup> sending, int groupsInFlight, long code, EgressStats stats) {
        int backlogged = 0;
        for (EgressGroup s : sending) {
            if (s.backlogged()) {
                backlogged++;
            }
        }
        int reset = 0;
        var it = sending.iterator();
        while (backlogged > groupsInFlight && it.hasNext()) {
            EgressGroup oldest = it.next();
            if (!oldest.backlogged()) {
                continue;
            }
            oldest.stream.reset(code);
            oldest.releaseHeader();
            backlogged--;
            reset++;
            it.remove();
            oldest.group.release();
            stats.groupsResetLagging.increment();
        }
        return reset;
    }
}
