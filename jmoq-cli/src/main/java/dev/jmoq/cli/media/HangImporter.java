package dev.jmoq.cli.media;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Turns a demuxed fragmented MP4 into a hang broadcast, as {@code rs/hang}'s fMP4 import does but in the
 * legacy container: one track per MP4 track ({@code video0}, {@code audio0}, ...), the catalog published when
 * the first fragment shows the frame durations (framerate, jitter), a group per video keyframe (frames before
 * the first keyframe are dropped: a group must start with one) and a group per audio fragment, timestamps
 * converted to microseconds (audio on a running sample clock, {@link AudioClock}). A time offset lets a looping publisher continue the timeline. Not thread-safe.
 */
public final class HangImporter implements Fmp4Demuxer.Listener {
    private static final Logger LOG = Logger.getLogger(HangImporter.class.getName());

    private final HangSink sink;
    private final Map<Integer, String> names = new LinkedHashMap<>();
    private final Map<Integer, MediaTrack> tracks = new HashMap<>();
    private final Set<Integer> started = new HashSet<>();
    private final Map<Integer, Long> lastAudio = new HashMap<>();
    private final Map<Integer, AudioClock> audioClocks = new HashMap<>();

    /**
     * Audio times as a running sample clock. ffmpeg 5.1 with {@code frag_every_frame} stamps some audio
     * fragments one frame early or late and repeats a time (tfdt 0, 1024, 3072, 3072, 5120 for AAC), with
     * durations of 0; taken literally, a third of the frames would collide. A sample within 1.5 frames of
     * where the previous one ended is placed there; one further away (a real gap) keeps its own time.
     * Times are in the track's timescale.
     */
    static final class AudioClock {
        private long next = -1;
        private long typical;

        long time(long pts, long duration) {
            if (typical == 0 && duration > 0) {
                typical = duration;
            }
            long t = pts;
            if (next >= 0 && typical > 0 && Math.abs(pts - next) <= typical * 3 / 2) {
                t = next;
            }
            next = t + (duration > 0 ? duration : typical);
            return t;
        }
    }
    private boolean catalogSent;
    private long offsetMicros;
    private long endMicros;
    private long frames;
    private long dropped;

    public HangImporter(HangSink sink) {
        this.sink = sink;
    }

    /** Micros added to every timestamp from now on (a loop's start). */
    public void offsetMicros(long offset) {
        this.offsetMicros = offset;
    }

    /** The end (timestamp + duration, offset included) of the latest sample, in microseconds. */
    public long endMicros() {
        return endMicros;
    }

    /** Frames handed to the sink. */
    public long frames() {
        return frames;
    }

    /** Frames dropped: video before its track's first keyframe, audio whose timestamp did not advance. */
    public long dropped() {
        return dropped;
    }

    /** Track name of each MP4 track_ID, in moov order. */
    public Map<Integer, String> trackNames() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(names));
    }

    @Override
    public void onTracks(List<MediaTrack> list, List<String> skipped) {
        if (!tracks.isEmpty()) {
            // A loop re-reads the same file: same tracks, same names.
            return;
        }
        int video = 0;
        int audio = 0;
        for (MediaTrack t : list) {
            names.put(t.trackId(), t.kind() == MediaKind.VIDEO ? "video" + video++ : "audio" + audio++);
            tracks.put(t.trackId(), t);
        }
        for (String s : skipped) {
            LOG.warning("event=track_skipped " + s);
        }
    }

    @Override
    public void onFragment(List<Sample> samples) {
        if (!catalogSent) {
            sink.catalog(HangCatalog.encode(renditions(samples)));
            catalogSent = true;
        }
        Set<Integer> inFragment = new HashSet<>();
        for (Sample s : samples) {
            MediaTrack t = tracks.get(s.trackId());
            long pts = t.kind() == MediaKind.AUDIO
                    ? audioClocks.computeIfAbsent(s.trackId(), k -> new AudioClock()).time(s.presentationTime(), s.duration())
                    : s.presentationTime();
            long ts = Math.max(0, micros(pts, t.timescale())) + offsetMicros;
            endMicros = Math.max(endMicros, ts + micros(s.duration(), t.timescale()));
            boolean newGroup;
            if (t.kind() == MediaKind.VIDEO) {
                newGroup = s.keyframe();
                if (!newGroup && !started.contains(s.trackId())) {
                    dropped++;
                    continue;
                }
            } else {
                // An audio timestamp that still does not advance would read as a rewind to hang's consumer: drop it.
                Long last = lastAudio.get(s.trackId());
                if (last != null && ts <= last) {
                    dropped++;
                    continue;
                }
                lastAudio.put(s.trackId(), ts);
                newGroup = inFragment.add(s.trackId());
            }
            started.add(s.trackId());
            sink.frame(names.get(s.trackId()), newGroup, ts, s.data());
            frames++;
        }
    }

    private List<Rendition> renditions(List<Sample> first) {
        Map<Integer, Long> duration = new HashMap<>();
        for (Sample s : first) {
            if (s.duration() > 0) {
                duration.putIfAbsent(s.trackId(), s.duration());
            }
        }
        List<Rendition> out = new ArrayList<>();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            MediaTrack t = tracks.get(e.getKey());
            long d = duration.getOrDefault(t.trackId(), t.defaults().duration());
            long jitterMs = d > 0 ? Math.max(1, (d * 1000 + t.timescale() - 1) / t.timescale()) : 0;
            if (t.kind() == MediaKind.VIDEO) {
                double fps = d > 0 ? Math.round(t.timescale() * 1000.0 / d) / 1000.0 : 0;
                out.add(new Rendition(e.getValue(), MediaKind.VIDEO, t.codec(), "legacy", t.description(), t.width(), t.height(),
                        fps, 0, 0, jitterMs));
            } else {
                out.add(new Rendition(e.getValue(), MediaKind.AUDIO, t.codec(), "legacy", t.description(), 0, 0, 0,
                        t.sampleRate(), t.channels(), jitterMs));
            }
        }
        return out;
    }

    /** {@code value} units of {@code timescale} in microseconds (rounded down). */
    static long micros(long value, long timescale) {
        return Math.floorDiv(value, timescale) * 1_000_000L + Math.floorMod(value, timescale) * 1_000_000L / timescale;
    }
}
