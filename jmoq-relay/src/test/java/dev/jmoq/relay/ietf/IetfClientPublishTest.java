package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;
import static dev.jmoq.relay.ietf.IetfRelayTest.produceAndExpect;
import static dev.jmoq.relay.ietf.IetfRelayTest.read;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Track;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publisher-initiated PUBLISH from the Java client ({@code ClientSession.publishTrack}): the relay accepts
 * it (PUBLISH_OK on 14-17, REQUEST_OK on 18+), an IETF subscriber of the same draft gets 3 groups x 5
 * objects byte for byte, and closing the track ends the subscription cleanly (PUBLISH_DONE both hops).
 * A moq-lite session has no PUBLISH and says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfClientPublishTest {
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private URI url() {
        return URI.create("moqt://127.0.0.1:" + relay.port() + "/");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-16", "moqt-17", "moqt-18", "moqt-20"})
    void aPublishedTrackReachesASubscriber(String protocol) throws Exception {
        String path = "client-push/" + protocol;
        try (MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
                ClientSession pub = c.connect(url()).get(15, TimeUnit.SECONDS);
                ClientSession sub = c.connect(url()).get(15, TimeUnit.SECONDS)) {
            Track t = pub.publishTrack(path, "video").get(15, TimeUnit.SECONDS);
            assertTrue(relay.origin().get(path) != null, "the relay took the track into its origin");
            Track relayed = relay.origin().get(path).track("video");
            IetfRelayTest.Collector col = read(sub, path, "video");
            Await.until("not: relayed.subscriberCount() == 0", () -> !(relayed.subscriberCount() == 0));
            assertTrue(relayed.subscriberCount() > 0, "the subscriber reached the published track");
            produceAndExpect(pub, t, col);
        }
    }

    @Test
    void moqLiteHasNoPublish() throws Exception {
        try (MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moq-lite-04")).build();
                ClientSession s = c.connect(url()).get(15, TimeUnit.SECONDS)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> s.publishTrack("nope", "video").get(15, TimeUnit.SECONDS));
            assertInstanceOf(UnsupportedOperationException.class, e.getCause());
        }
    }
}
