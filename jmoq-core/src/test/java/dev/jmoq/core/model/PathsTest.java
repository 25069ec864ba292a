package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Paths}: normalization and segment-wise prefix matching. */
class PathsTest {
    @ParameterizedTest
    @CsvSource({"room/alice,room/alice", "/room/alice,room/alice", "room/alice/,room/alice", "//room///alice//,room/alice",
            "/,''", "'',''", "a,a"})
    void normalizeDropsEmptySegments(String in, String out) {
        assertEquals(out, Paths.normalize(in));
    }

    @Test
    void anAlreadyNormalPathIsReturnedAsIs() {
        String p = "room/alice";
        assertSame(p, Paths.normalize(p));
    }

    @ParameterizedTest
    @CsvSource({"room/alice,room,true", "roomy/alice,room,false", "room,room,true", "room,'',true", "roo,room,false",
            "room/alice,room/alice,true", "room/alicia,room/alice,false"})
    void hasPrefixMatchesWholeSegments(String path, String prefix, boolean expected) {
        assertEquals(expected, Paths.hasPrefix(path, prefix));
    }

    @ParameterizedTest
    @CsvSource({"room/alice,room,alice", "room,room,''", "a/b/c,'',a/b/c", "a/b/c,a,b/c"})
    void suffixAndJoinAreInverse(String path, String prefix, String suffix) {
        assertEquals(suffix, Paths.suffix(path, prefix));
        assertEquals(path, Paths.join(prefix, suffix));
    }
}
