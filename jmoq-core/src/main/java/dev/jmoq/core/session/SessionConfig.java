package dev.jmoq.core.session;

import dev.jmoq.core.model.CacheConfig;
import java.time.Duration;

/**
 * Limits and policies of one session.
 *
 * @param cache          cache bounds of the tracks this session fills
 * @param maxMessageSize largest control message accepted
 * @param maxFrameSize   largest frame accepted
 * @param groupsInFlight group streams open per subscription before the oldest is reset as lagging
 * @param trackLinger    how long a track this session fills outlives its last subscriber
 * @param relay          act as a relay: ask every peer for all its broadcasts and publish them
 */
public record SessionConfig(CacheConfig cache, int maxMessageSize, int maxFrameSize, int groupsInFlight,
        Duration trackLinger, boolean relay) {
    public static SessionConfig client() {
        return new SessionConfig(CacheConfig.defaults(), 64 << 10, 16 << 20, 4, Duration.ZERO, false);
    }
}
