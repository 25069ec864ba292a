package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.LiteCodec;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.Subscribe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    private static String lite04(dev.jmoq.wire.lite.LiteMessage m) {
        ByteBuf out = Unpooled.buffer();
        LiteCodec.write(out, m, LiteVersion.DRAFT_04);
        String hex = ByteBufUtil.hexDump(out);
        out.release();
        return hex;
    }

    @Test
    void whatTheRelaySendsAGomoqtPeerIsByteForByteWhatGomoqtSends() {
        // Hex from jmoq-wire's vectors/lite04-gomoqt-0.16.1.json (derived from gomoqt v0.16.1's encoders):
        // AcceptAnnounce("/") and Subscribe("/alice", "video") with default config, stream type stripped.
        assertEquals("03012f00", lite04(new AnnouncePlease(PathNormalizer.slashedPrefix(""), 0)));
        assertEquals("1301062f616c69636505766964656f0000000000", lite04(new Subscribe(1,
                PathNormalizer.slashedPath("alice"), "video", 0, false, 0, OptionalLong.empty(), OptionalLong.empty())));
    }
}
