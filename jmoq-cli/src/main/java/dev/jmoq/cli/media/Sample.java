package dev.jmoq.cli.media;

import java.nio.ByteBuffer;

/**
 * One media sample of a fragment.
 *
 * @param trackId          the MP4 track_ID
 * @param decodeTime       decode time in the track's timescale
 * @param presentationTime presentation time (decode time + composition offset) in the track's timescale
 * @param duration         duration in the track's timescale (0 when the fragment did not say)
 * @param keyframe         a sync sample (sample_depends_on == 2 and not sample_is_non_sync_sample)
 * @param data             the sample's bytes (a read-only view)
 */
public record Sample(int trackId, long decodeTime, long presentationTime, long duration, boolean keyframe, ByteBuffer data) {
}
