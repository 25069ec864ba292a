package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.wire.lite.TrackInfo;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The per-frame timestamps a moq-lite-05 stream carries, and the TRACK_INFO that goes with them
 * (draft-lcurley-moq-lite-05, "Frame" and "TRACK_INFO"; moq-dev stamps frames from sources without
 * timestamps with the local time in milliseconds). The one place that decides it:
 *
 * <ul>
 *   <li>A frame the model holds a timestamp for ({@link Group#timestamp}: received from a moq-lite-05 peer):
 *       that timestamp, in the timescale of the source's TRACK_INFO, which the relay passes on unchanged.</li>
 *   <li>Any other frame (moq-lite-01..04 peers, local publishers): the time the frame is written, in
 *       milliseconds (timescale 1000), from {@code millis}.</li>
 * </ul>
 *
 * <p>Thread-safe; one instance per stream is cheap.
 */
final class FrameTimestamps {
    /** The timescale of local stamps: milliseconds. */
    static final long LOCAL_TIMESCALE = 1000;
    /** The wall clock local stamps use, in milliseconds. */
    static final LongSupplier SYSTEM_MILLIS = System::currentTimeMillis;

    /** A track source that knows its peer's TRACK_INFO (a moq-lite-05 session). */
    interface Source {
        /** The peer's TRACK_INFO for a track of {@code broadcast}, or null when its draft has none. Any thread. */
        CompletableFuture<TrackInfo> trackInfo(Broadcast broadcast, String track);
    }

    /**
     * The TRACK_INFO to serve for {@code track} of {@code broadcast}: its lite-05 source's (relayed
     * unchanged, since the timestamps are that source's), else {@link #localInfo()}. Any thread.
     */
    static CompletableFuture<TrackInfo> info(Broadcast broadcast, String track) {
        if (broadcast.source() instanceof Source s) {
            CompletableFuture<TrackInfo> f = s.trackInfo(broadcast, track);
            if (f != null) {
                return f;
            }
        }
        return CompletableFuture.completedFuture(localInfo());
    }

    private final LongSupplier millis;

    /** @param millis the clock that stamps frames the model holds no timestamp for, in milliseconds */
    FrameTimestamps(LongSupplier millis) {
        this.millis = millis;
    }

    /** The TRACK_INFO served for a track whose frames are stamped locally: milliseconds, defaults otherwise. */
    static TrackInfo localInfo() {
        return new TrackInfo(0, false, 0, LOCAL_TIMESCALE);
    }

    /** The absolute timestamp of frame {@code index} of {@code group}. */
    long timestamp(Group group, int index) {
        long t = group.timestamp(index);
        return t != Group.NO_TIMESTAMP ? t : millis.getAsLong();
    }
}
