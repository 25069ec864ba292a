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
 * @param originId       this endpoint's identifier in announcement hop lists (loop avoidance)
 * @param maxAnnouncements broadcasts the peer may announce at once; 0 for no limit
 * @param subscribesPerSecond sustained subscribe rate the peer may use (bursts of the same size); 0 for no limit
 */
public record SessionConfig(CacheConfig cache, int maxMessageSize, int maxFrameSize, int groupsInFlight,
        Duration trackLinger, boolean relay, long originId, int maxAnnouncements, double subscribesPerSecond) {

    public SessionConfig(CacheConfig cache, int maxMessageSize, int maxFrameSize, int groupsInFlight,
            Duration trackLinger, boolean relay, long originId) {
        this(cache, maxMessageSize, maxFrameSize, groupsInFlight, trackLinger, relay, originId, 0, 0);
    }

    /** The same settings with another origin identifier. */
    public SessionConfig withOriginId(long id) {
        return new SessionConfig(cache, maxMessageSize, maxFrameSize, groupsInFlight, trackLinger, relay, id,
                maxAnnouncements, subscribesPerSecond);
    }

    public static SessionConfig client() {
        return new SessionConfig(CacheConfig.defaults(), 64 << 10, 16 << 20, 4, Duration.ZERO, false, randomOriginId());
    }

    /** A random non-zero identifier that fits the 53 bits JavaScript peers decode exactly. */
    public static long randomOriginId() {
        return 1 + java.util.concurrent.ThreadLocalRandom.current().nextLong((1L << 53) - 1);
    }
}
