package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubprotocolTest {
    private static final List<String> SERVER = List.of("moq-lite-04", "moq-lite-03", "moql");

    private static String choose(String... offered) {
        return Subprotocol.choose(List.of(offered), SERVER).map(Subprotocol::value).orElse("none");
    }

    @Test
    void serverPreferenceWinsOverClientOrder() {
        assertEquals("qmux-00.moq-lite-04", choose("qmux-00.moq-lite-03", "qmux-00.moq-lite-04"));
        assertEquals("qmux-02.moq-lite-04", choose("qmux-00.moq-lite-04, qmux-01.moq-lite-04", "qmux-02.moq-lite-04"));
    }

    @Test
    void alpnMatchBeatsBareFraming() {
        assertEquals("qmux-00.moq-lite-03", choose("qmux-02", "qmux-00.moq-lite-03"));
    }

    @Test
    void bareFramingsNewestFirstThenWebtransport() {
        assertEquals("qmux-00", choose("qmux-00", "webtransport"));
        assertEquals("qmux-02", choose("webtransport", "qmux-00", "qmux-02", "qmux-01"));
        assertEquals("webtransport", choose("webtransport"));
        assertEquals("none", choose("chat", "qmux-00.unknown"));
    }

    @Test
    void parsesTheAlpnSuffix() {
        Subprotocol s = Subprotocol.parse("qmux-01.moq-lite-04").orElseThrow();
        assertEquals(WireVersion.QMUX_01, s.wire());
        assertEquals("moq-lite-04", s.alpn());
        assertEquals("", Subprotocol.parse("qmux-00").orElseThrow().alpn());
        assertTrue(Subprotocol.parse("qmux-03.x").isEmpty());
    }

    @Test
    void recognisesTheOlderPolyfillsOffer() {
        assertTrue(Subprotocol.isLegacyOffer(List.of("qmux-00, webtransport")));
        assertFalse(Subprotocol.isLegacyOffer(List.of("qmux-02.moq-lite-04", "qmux-00", "webtransport")));
    }
}
