package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A relay's graceful shutdown tells IETF sessions GOAWAY with the redirect, on each draft layout. */
class IetfGoawayTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-16", "moqt-18", "moqt-20"})
    void aGracefulShutdownSendsGoawayWithTheRedirect(String protocol) throws Exception {
        RelayConfig config = RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1).toBuilder()
                .goawayUri(URI.create("https://relay2.example:4443/")).build();
        RelayServer server = new RelayServer(config).start();
        try (MoqClient client = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build()) {
            ClientSession session = client.connect(URI.create("moqt://127.0.0.1:" + server.port() + "/"))
                    .get(15, TimeUnit.SECONDS);
            Await.until("server.sessionCount() == 0 to end", () -> !(server.sessionCount() == 0));
            Thread shutdown = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofSeconds(20)));
            assertEquals("https://relay2.example:4443/", session.goaway().get(15, TimeUnit.SECONDS));
            assertFalse(session.closed().isDone());
            session.close();
            shutdown.join(Duration.ofSeconds(15));
            assertFalse(shutdown.isAlive());
        } finally {
            server.close();
        }
    }
}
