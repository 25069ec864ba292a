package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Paths from gomoqt ({@code /X}) and moq-dev or jmoq clients ({@code X}) name one broadcast. */
class PathNormalizerTest {
    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "''|''",
            "/|''",
            "//|''",
            "X|X",
            "/X|X",
            "X/|X",
            "/X/|X",
            "/room/alice|room/alice",
            "room//alice|room/alice",
            "///room///alice///|room/alice",
            "a/b/c|a/b/c",
            // Only slashes are this class's business: dots and spaces pass through (Paths validates).
            "/./x|./x",
    })
    void normalizesLikeMoqDev(String raw, String normal) {
        assertEquals(normal, PathNormalizer.normalize(raw));
    }

    @Test
    void normalIsAFixedPointAndNotCopied() {
        String p = "room/alice";
        assertSame(p, PathNormalizer.normalize(p));
        assertEquals(PathNormalizer.normalize("/x//y/"), PathNormalizer.normalize(PathNormalizer.normalize("/x//y/")));
    }

    @Test
    void gomoqtAndMoqDevPathsNameTheSameBroadcast() {
        assertTrue(PathNormalizer.sameBroadcast("/X", "X"));
        assertTrue(PathNormalizer.sameBroadcast("/room/alice", "room/alice/"));
        assertFalse(PathNormalizer.sameBroadcast("/room/alice", "room/alicia"));
        assertFalse(PathNormalizer.sameBroadcast("/room", "room/alice"));
    }

    @Test
    void slashedPathIsWhatGomoqtLooksUp() {
        assertEquals("/X", PathNormalizer.slashedPath("X"));
        assertEquals("/X", PathNormalizer.slashedPath("/X/"));
        assertEquals("/room/alice", PathNormalizer.slashedPath("room//alice"));
    }

    @Test
    void slashedPrefixIsOneGomoqtAccepts() {
        // gomoqt isValidPrefix: "/" or "/...../"; the empty prefix panics its announcement writer.
        assertEquals("/", PathNormalizer.slashedPrefix(""));
        assertEquals("/", PathNormalizer.slashedPrefix("/"));
        assertEquals("/room/", PathNormalizer.slashedPrefix("room"));
        assertEquals("/room/live/", PathNormalizer.slashedPrefix("/room/live"));
    }

    @Test
    void slashedFormsNormalizeBack() {
        for (String p : new String[] {"", "X", "room/alice"}) {
            assertEquals(p, PathNormalizer.normalize(PathNormalizer.slashedPath(p)));
            assertEquals(p, PathNormalizer.normalize(PathNormalizer.slashedPrefix(p)));
        }
    }
}
