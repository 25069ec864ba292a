package dev.jmoq.cli.media;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixtures: two half-second fragmented MP4 files written by ffmpeg 5.1 (64x48 test pattern at 10 fps,
 * a keyframe every 5 frames, a 440 Hz tone at 48 kHz mono), one with Opus and one with AAC:
 * {@code ffmpeg -f lavfi -i testsrc2=size=64x48:rate=10 -f lavfi -i sine=frequency=440:sample_rate=48000 -t 0.5
 * -c:v libx264 -preset ultrafast -tune zerolatency -g 5 -pix_fmt yuv420p -c:a libopus -b:a 16k (or -c:a aac -b:a 32k)
 * -f mp4 -movflags cmaf+separate_moof+delay_moov+skip_trailer+frag_every_frame}.
 */
final class Fixtures {
    static final String OPUS = "/media/h264-opus.mp4";
    static final String AAC = "/media/h264-aac.mp4";

    /** A frame as a {@link HangSink} received it. */
    record Frame(String track, boolean newGroup, long timestampMicros, byte[] payload) {
    }

    /** Collects what an importer publishes. */
    static final class Collector implements HangSink {
        final List<byte[]> catalogs = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();

        @Override
        public void catalog(byte[] json) {
            catalogs.add(json);
        }

        @Override
        public void frame(String track, boolean newGroup, long timestampMicros, ByteBuffer payload) {
            byte[] b = new byte[payload.remaining()];
            payload.duplicate().get(b);
            frames.add(new Frame(track, newGroup, timestampMicros, b));
        }

        List<Frame> of(String track) {
            return frames.stream().filter(f -> f.track().equals(track)).toList();
        }
    }

    private Fixtures() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a pipe does. */
    static InputStream trickle(byte[] data, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    /** Feeds collected frames to a recorder as a subscriber sees them: groups numbered per track, frames within. */
    static void replay(Collector c, HangRecorder rec) throws IOException {
        java.util.Map<String, long[]> seq = new java.util.HashMap<>();
        for (Frame f : c.frames) {
            long[] s = seq.computeIfAbsent(f.track(), k -> new long[] {-1, 0});
            if (f.newGroup()) {
                s[0]++;
                s[1] = 0;
            }
            rec.frame(f.track(), s[0], s[1]++, f.timestampMicros(), f.payload());
        }
        rec.finish();
    }

    /** Imports a whole file into a collector. */
    static Collector importAll(byte[] file) throws IOException {
        Collector c = new Collector();
        new Fmp4Demuxer(new Mp4BoxReader(trickle(file, 100)), new HangImporter(c)).run();
        return c;
    }
}
