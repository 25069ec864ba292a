package dev.jmoq.transport.webtransport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code WT-Available-Protocols} offers of real clients and what a server listing {@code moq-lite-05}
 * first picks: {@code @moq/net} 0.3.4 ({@code connectWebTransport}'s protocols, as a structured-field list)
 * and gomoqt v0.16.1 (webtransport-go's Dialer with {@code ApplicationProtocols = ["moq-lite-04"]}).
 */
class WebTransportOfferTest {
    private static final String MOQ_NET_0_3_4 = "\"moq-lite-05\", \"moq-lite-04\", \"moq-lite-03\", \"moql\", "
            + "\"moqt-20\", \"moqt-19\", \"moqt-18\", \"moqt-17\", \"moqt-16\", \"moqt-15\"";
    private static final String GOMOQT_0_16_1 = "\"moq-lite-04\"";
    private static final List<String> WITH_05 = List.of("moq-lite-05", "moq-lite-04", "moq-lite-03", "moql");

    @Test
    void moqNetGetsLite05() {
        assertEquals(10, WebTransportServer.parseStringList(MOQ_NET_0_3_4).size());
        assertEquals("moq-lite-05", WebTransportServer.choose(MOQ_NET_0_3_4, WITH_05));
    }

    @Test
    void gomoqtGetsLite04() {
        assertEquals("moq-lite-04", WebTransportServer.choose(GOMOQT_0_16_1, WITH_05));
    }
}
