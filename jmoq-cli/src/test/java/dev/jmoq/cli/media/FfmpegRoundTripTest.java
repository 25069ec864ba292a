package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With ffmpeg installed: ffmpeg writes H.264 + AAC fragmented MP4 to a pipe, the importer reads it as it
 * comes, the recorder writes it back, and ffprobe reads the result's streams. Skipped without ffmpeg (the
 * committed fixtures cover the same code; the e2e suite requires ffmpeg).
 */
class FfmpegRoundTripTest {
    @TempDir
    Path dir;

    private static boolean has(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aLiveFfmpegPipeRoundTripsToAFileFfprobeReads() throws Exception {
        Assumptions.assumeTrue(has("ffmpeg") && has("ffprobe"), "ffmpeg/ffprobe not installed");
        Process ff = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast",
                "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-f", "mp4", "-movflags",
                "cmaf+separate_moof+delay_moov+skip_trailer+frag_every_frame", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Fixtures.Collector c = new Fixtures.Collector();
        try (InputStream in = ff.getInputStream()) {
            new Fmp4Demuxer(new Mp4BoxReader(in), new HangImporter(c)).run();
        }
        assertTrue(ff.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, ff.exitValue());

        Path out = dir.resolve("out.mp4");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HangRecorder rec = new HangRecorder(bytes);
        rec.tracks(HangCatalog.renditions(HangCatalog.parse(c.catalogs.getFirst())));
        Fixtures.replay(c, rec);
        Files.write(out, bytes.toByteArray());

        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,sample_rate,channels,nb_read_frames", "-of", "csv=p=0", out.toString())
                .redirectErrorStream(true).start();
        String text = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, probe.exitValue(), text);
        List<String> lines = text.lines().toList();
        assertEquals(2, lines.size(), text);
        assertEquals("h264,96,64,25", lines.get(0));
        assertTrue(lines.get(1).startsWith("aac,44100,2,"), text);
        assertTrue(Integer.parseInt(lines.get(1).substring(lines.get(1).lastIndexOf(',') + 1)) >= 40, text);
    }
}
