package dev.jmoq.relay.admin;

import java.util.Locale;

/** The limits whose violations are counted; {@link #label()} is the {@code kind} tag of the metric. */
public enum LimitKind {
    SESSIONS,
    SESSIONS_PER_ADDRESS,
    STREAMS_PER_SESSION,
    ANNOUNCEMENTS_PER_SESSION,
    SUBSCRIBES_PER_SECOND,
    MESSAGE_SIZE,
    FRAME_SIZE,
    CACHE_BYTES_PER_TRACK,
    /** A path the relay does not store (core.model.Paths#problem), on a request or at connect. */
    PATH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
