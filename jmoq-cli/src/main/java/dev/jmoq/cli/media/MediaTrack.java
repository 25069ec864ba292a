package dev.jmoq.cli.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * One media track of a fragmented MP4 file as its init segment (moov) describes it, in the terms a WebCodecs
 * decoder config and a hang catalog rendition use.
 *
 * @param trackId       the MP4 track_ID (tkhd)
 * @param kind          video or audio (hdlr {@code vide} / {@code soun})
 * @param timescale     media timescale (mdhd), units per second of every sample time of this track
 * @param codec         WebCodecs codec string (e.g. {@code avc1.64001f}, {@code opus}, {@code mp4a.40.2})
 * @param description   decoder description (the avcC body, the AAC AudioSpecificConfig), or null (Opus)
 * @param width         coded width in pixels (video), else 0
 * @param height        coded height in pixels (video), else 0
 * @param sampleRate    sample rate in Hz (audio), else 0
 * @param channels      channel count (audio), else 0
 * @param defaults      the track's trex defaults for fragments
 */
public record MediaTrack(int trackId, MediaKind kind, long timescale, String codec, byte[] description, int width, int height,
                         int sampleRate, int channels, SampleDefaults defaults) {
    /** trex (ISO/IEC 14496-12 section 8.8.3): defaults a fragment's tfhd/trun may omit. */
    public record SampleDefaults(long duration, long size, int flags) {
        public static final SampleDefaults NONE = new SampleDefaults(0, 0, 0);
    }

    public MediaTrack {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(codec, "codec");
        if (timescale <= 0) {
            throw new Mp4Exception("track " + trackId + " has timescale " + timescale);
        }
    }

    /** This track with other fragment defaults. */
    public MediaTrack withDefaults(SampleDefaults d) {
        return new MediaTrack(trackId, kind, timescale, codec, description, width, height, sampleRate, channels, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaTrack t && trackId == t.trackId && kind == t.kind && timescale == t.timescale
                && codec.equals(t.codec) && Arrays.equals(description, t.description) && width == t.width
                && height == t.height && sampleRate == t.sampleRate && channels == t.channels && defaults.equals(t.defaults);
    }

    @Override
    public int hashCode() {
        return Objects.hash(trackId, kind, codec, width, height, sampleRate, channels) * 31 + Arrays.hashCode(description);
    }

    @Override
    public String toString() {
        return "MediaTrack[id=" + trackId + " " + kind + " " + codec + (kind == MediaKind.VIDEO ? " " + width + "x" + height
                : " " + sampleRate + "Hz " + channels + "ch") + " timescale=" + timescale + "]";
    }
}
