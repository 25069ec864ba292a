package dev.jmoq.cli;

import dev.jmoq.cli.media.Fmp4Demuxer;
import dev.jmoq.cli.media.HangImporter;
import dev.jmoq.cli.media.HangSink;
import dev.jmoq.cli.media.Mp4BoxReader;
import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.model.Broadcast;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * {@code jmoq pub --format fmp4}: reads fragmented MP4 from a file or stdin as it is written and publishes
 * it as a hang broadcast ({@link HangImporter} into a {@link HangBroadcastSink}), paced at the media's own
 * speed unless told not to; a file can loop, its timeline continuing across loops.
 */
final class MediaPublisher {
    private final ClientSession session;
    private final String input;
    private final boolean loop;
    private final boolean pace;
    private final BooleanSupplier stop;

    MediaPublisher(ClientSession session, String input, boolean loop, boolean pace, BooleanSupplier stop) {
        this.session = session;
        this.input = input;
        this.loop = loop;
        this.pace = pace;
        this.stop = stop;
    }

    /** Publishes {@code path} until the input ends (or, looping, until {@code stop}); returns frames published. */
    long run(String path) throws Exception {
        Broadcast b = session.publish(path);
        HangBroadcastSink sink = new HangBroadcastSink(b, session.executor());
        Pacer pacer = Pacer.system();
        HangImporter[] importerRef = new HangImporter[1];
        HangSink paced = new HangSink() {
            @Override
            public void catalog(byte[] json) {
                sink.catalog(json);
                System.err.println("tracks " + importerRef[0].trackNames() + " catalog " + new String(json, StandardCharsets.UTF_8));
            }

            @Override
            public void frame(String track, boolean newGroup, long timestampMicros, ByteBuffer payload) {
                if (pace) {
                    try {
                        pacer.await(timestampMicros);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted");
                    }
                }
                sink.frame(track, newGroup, timestampMicros, payload);
            }
        };
        HangImporter importer = new HangImporter(paced);
        importerRef[0] = importer;
        int loops = 0;
        try {
            do {
                importer.offsetMicros(importer.endMicros());
                try (InputStream in = open()) {
                    Fmp4Demuxer demuxer = new Fmp4Demuxer(new Mp4BoxReader(in), importer);
                    while (!stop.getAsBoolean() && demuxer.step()) {
                        // one box at a time: each fragment is published as soon as it is complete
                    }
                }
                loops++;
            } while (loop && !input.equals("-") && !stop.getAsBoolean());
        } finally {
            sink.finish();
            System.err.println("published frames=" + importer.frames() + " groups=" + sink.groups() + " loops=" + loops
                    + (importer.dropped() > 0 ? " dropped=" + importer.dropped() : ""));
        }
        // Give subscribers a moment to drain the tail before the broadcast ends.
        Thread.sleep(200);
        b.close();
        return importer.frames();
    }

    private InputStream open() throws IOException {
        return input.equals("-") ? new BufferedInputStream(System.in, 1 << 16) {
            @Override
            public void close() {
                // stdin stays open
            }
        } : new BufferedInputStream(Files.newInputStream(Path.of(input)), 1 << 16);
    }
}
