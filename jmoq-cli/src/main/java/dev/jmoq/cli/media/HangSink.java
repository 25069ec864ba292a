package dev.jmoq.cli.media;

import java.nio.ByteBuffer;

/** Where a {@link HangImporter} puts a broadcast: the catalog, then media frames. Called on one thread. */
public interface HangSink {
    /** The catalog JSON, published as the first frame of a new group of {@link HangCatalog#TRACK}. */
    void catalog(byte[] json);

    /**
     * One media frame of {@code track}: the hang legacy frame is {@link HangFrame#encode} of these values.
     *
     * @param newGroup        this frame starts a new group (a video keyframe; an audio fragment)
     * @param timestampMicros presentation time in microseconds
     * @param payload         the codec payload (read-only; valid during the call)
     */
    void frame(String track, boolean newGroup, long timestampMicros, ByteBuffer payload);
}
