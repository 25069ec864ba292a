package dev.jmoq.core.model;

/**
 * Produces tracks of a broadcast on demand. A relay's publisher-facing session implements it: when the
 * first local subscriber asks for a track, it subscribes upstream and fills the track; when the track has
 * had no subscriber for the linger time, it ends the upstream subscription.
 *
 * <p>Called from any thread; implementations hop to their own event loop.
 */
public interface TrackSource {
    /** A subscriber asked for {@code track}, which is new and empty: start filling it (or abort it). */
    void onTrackRequested(Track track);

    /** {@code track} has had no subscriber for the linger time and was removed: stop filling it. */
    void onTrackUnused(Track track);
}
