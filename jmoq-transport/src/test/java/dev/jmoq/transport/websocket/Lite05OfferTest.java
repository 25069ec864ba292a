package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.wire.lite.LiteVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the real clients offer, and what a server listing {@code moq-lite-05} first picks from it. The
 * WebSocket offer is {@code @moq/net} 0.3.4's own (its {@code connectWebSocket} versions map passed through
 * {@code @moq/qmux} 0.3.3's {@code resolveSubprotocols}, run in Node 24); the three framings
 * {@code qmux-00/01/02} each carry {@code moq-lite-05}.
 */
class Lite05OfferTest {
    static final List<String> MOQ_NET_0_3_4_WEBSOCKET = List.of(
            "qmux-02.moq-lite-05", "qmux-01.moq-lite-05", "qmux-00.moq-lite-05",
            "qmux-02.moq-lite-04", "qmux-01.moq-lite-04", "qmux-00.moq-lite-04",
            "qmux-02.moq-lite-03", "qmux-01.moq-lite-03", "qmux-00.moq-lite-03",
            "qmux-02.moql", "qmux-01.moql", "qmux-00.moql",
            "qmux-01.moqt-20", "qmux-01.moqt-18",
            "qmux-02.moqt-17", "qmux-01.moqt-17", "qmux-00.moqt-17",
            "qmux-02.moqt-16", "qmux-01.moqt-16", "qmux-00.moqt-16",
            "qmux-02.moqt-15", "qmux-01.moqt-15", "qmux-00.moqt-15",
            "qmux-02", "qmux-01", "qmux-00", "webtransport");

    private static final List<String> WITH_05 = List.of("moq-lite-05", "moq-lite-04", "moq-lite-03", "moql");

    @Test
    void theOfferHasTwentySevenValuesAndThreeCarryLite05() {
        assertEquals(27, MOQ_NET_0_3_4_WEBSOCKET.size());
        assertEquals(3, MOQ_NET_0_3_4_WEBSOCKET.stream()
                .filter(s -> Subprotocol.parse(s).map(p -> p.alpn().equals("moq-lite-05")).orElse(false)).count());
    }

    @Test
    void aServerListingLite05FirstPicksItOnTheNewestFraming() {
        Subprotocol chosen = Subprotocol.choose(MOQ_NET_0_3_4_WEBSOCKET, WITH_05).orElseThrow();
        assertEquals("qmux-02.moq-lite-05", chosen.value());
        assertEquals(LiteVersion.DRAFT_05, LiteVersion.fromAlpn(chosen.alpn()));
    }

    @Test
    void eachLite05FramingAloneIsAccepted() {
        for (WireVersion w : List.of(WireVersion.QMUX_00, WireVersion.QMUX_01, WireVersion.QMUX_02)) {
            String value = w.token() + ".moq-lite-05";
            Subprotocol chosen = Subprotocol.choose(List.of(value), WITH_05).orElseThrow();
            assertEquals(w, chosen.wire());
            assertEquals("moq-lite-05", chosen.alpn());
        }
    }

    @Test
    void withoutLite05TheSameOfferLandsOn04() {
        assertEquals("qmux-02.moq-lite-04", Subprotocol.choose(MOQ_NET_0_3_4_WEBSOCKET,
                List.of("moq-lite-04", "moq-lite-03", "moql")).orElseThrow().value());
    }
}
