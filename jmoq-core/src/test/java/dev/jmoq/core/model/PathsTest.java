package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Paths}: normalization, segment-wise prefix matching, and which paths may be stored. */
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

    @ParameterizedTest
    @CsvSource({"'',", "room/alice,", "/room//alice/,", "room/.hidden,", "room/a..b,", "room/b.,", "café/ünï,",
            "room/.,DOT_SEGMENT", "room/..,DOT_SEGMENT", "./room,DOT_SEGMENT", "../room,DOT_SEGMENT",
            "room/alice/../bob,DOT_SEGMENT", "room/./alice,DOT_SEGMENT", "..,DOT_SEGMENT", ".,DOT_SEGMENT"})
    void dotSegmentsAreRefusedAndDotsInsideNamesAreNot(String path, Paths.Problem expected) {
        assertEquals(expected, Paths.problem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\tb", "a\u001fb", "a\u007fb", "a\u0085b", "a\u009fb"})
    void controlCharactersAreRefused(String path) {
        assertEquals(Paths.Problem.CONTROL_CHARACTER, Paths.problem(path));
    }

    @Test
    void theLengthLimitIsInclusive() {
        assertNull(Paths.problem("a".repeat(Paths.MAX_LENGTH)));
        assertEquals(Paths.Problem.TOO_LONG, Paths.problem("a".repeat(Paths.MAX_LENGTH + 1)));
        // Characters, not bytes: 1024 two-byte characters are fine.
        assertNull(Paths.problem("é".repeat(Paths.MAX_LENGTH)));
    }

    @Test
    void unicodeIsKeptAsSentWithoutNormalization() {
        String nfc = "caf\u00e9";
        String nfd = "cafe\u0301";
        assertNull(Paths.problem(nfd));
        assertEquals(nfd, Paths.checked(nfd));
        assertFalse(Paths.hasPrefix(nfd + "/x", nfc), "NFC and NFD spellings are different paths");
    }

    @Test
    void checkedNormalizesOrThrowsNamingTheProblem() {
        assertEquals("room/alice", Paths.checked("/room//alice/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Paths.checked("room/../x"));
        assertTrue(e.getMessage().contains(". or .."), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Broadcast("room/a\u0000", CacheConfig.defaults()));
    }
}
