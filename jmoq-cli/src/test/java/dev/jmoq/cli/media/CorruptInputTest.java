package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Corrupted and truncated input ends the import with an {@link Mp4Exception} or an EOF, never anything else. */
class CorruptInputTest {
    @Test
    void flippedBytesAndTruncationsFailCleanly() throws Exception {
        Random random = new Random(14);
        int failures = 0;
        for (String fixture : new String[] {Fixtures.OPUS, Fixtures.AAC}) {
            byte[] original = Fixtures.bytes(fixture);
            for (int round = 0; round < 300; round++) {
                byte[] b = original.clone();
                int flips = 1 + random.nextInt(8);
                // Mostly in the first 2 KiB (ftyp, moov, first fragments), where every byte is structure.
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(4) == 0 ? random.nextInt(b.length) : random.nextInt(Math.min(2048, b.length));
                    b[at] = (byte) random.nextInt(256);
                }
                int length = random.nextInt(5) == 0 ? random.nextInt(b.length) : b.length;
                try {
                    new Fmp4Demuxer(new Mp4BoxReader(new ByteArrayInputStream(b, 0, length), 1 << 20),
                            new HangImporter(new Fixtures.Collector())).run();
                } catch (Mp4Exception | EOFException expected) {
                    failures++;
                } catch (RuntimeException e) {
                    fail("round " + round + " of " + fixture + " failed with " + e, e);
                }
            }
        }
        assertTrue(failures > 100, "corruption was detected " + failures + " times in 600 rounds");
    }
}
