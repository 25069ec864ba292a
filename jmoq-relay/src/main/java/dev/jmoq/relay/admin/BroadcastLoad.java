package dev.jmoq.relay.admin;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Track;

/**
 * A snapshot of one broadcast's size, for {@code /announced} and the per-broadcast metrics. Immutable.
 *
 * @param path        the broadcast's path
 * @param tracks      tracks it holds now
 * @param subscribers subscribers attached to those tracks, summed
 */
record BroadcastLoad(String path, int tracks, long subscribers) {
    /** Reads {@code b} without locking it (track set and subscriber arrays are concurrent). */
    static BroadcastLoad of(Broadcast b) {
        int tracks = 0;
        long subscribers = 0;
        for (Track t : b.tracks()) {
            tracks++;
            subscribers += t.subscriberCount();
        }
        return new BroadcastLoad(b.path(), tracks, subscribers);
    }
}
