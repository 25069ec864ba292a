package dev.jmoq.cli.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * One rendition of a hang catalog ({@code @moq/hang} 0.3.5 {@code catalog/video.js}, {@code catalog/audio.js}):
 * a track of the broadcast and its WebCodecs decoder config.
 *
 * @param track       track name in the broadcast
 * @param kind        the catalog section it sits in
 * @param codec       WebCodecs codec string
 * @param container   container kind: {@code legacy} (the only one this package writes and reads), {@code cmaf}, {@code loc}
 * @param description decoder description bytes (hex in JSON), or null
 * @param codedWidth  video width in pixels, 0 when absent
 * @param codedHeight video height in pixels, 0 when absent
 * @param framerate   video frames per second, 0 when absent
 * @param sampleRate  audio Hz, 0 for video
 * @param channels    audio numberOfChannels, 0 for video
 * @param jitter      the longest wait between frames in milliseconds, 0 when absent
 */
public record Rendition(String track, MediaKind kind, String codec, String container, byte[] description, int codedWidth,
                        int codedHeight, double framerate, int sampleRate, int channels, long jitter) {
    public Rendition {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(container, "container");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rendition r && track.equals(r.track) && kind == r.kind && codec.equals(r.codec)
                && container.equals(r.container) && Arrays.equals(description, r.description) && codedWidth == r.codedWidth
                && codedHeight == r.codedHeight && Double.compare(framerate, r.framerate) == 0 && sampleRate == r.sampleRate
                && channels == r.channels && jitter == r.jitter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(track, kind, codec, container, codedWidth, codedHeight, sampleRate, channels) * 31
                + Arrays.hashCode(description);
    }

    @Override
    public String toString() {
        return "Rendition[" + track + " " + kind + " " + codec + " container=" + container
                + (kind == MediaKind.VIDEO ? " " + codedWidth + "x" + codedHeight : " " + sampleRate + "Hz " + channels + "ch")
                + (description == null ? "" : " description=" + description.length + "B") + "]";
    }
}
