package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.testkit.Await;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command-line client that closes its session and exits at once (`jmoq sub --duration`, `pub` at the end
 * of its input) is seen closing by the relay: the CONNECTION_CLOSE leaves before the client's event loops
 * shut down. Before {@link MoqClient#close()} waited for it, about one raw-QUIC close in five was lost and
 * the relay kept the session until its idle timeout. The relay's idle timeout here is a minute, far beyond
 * the wait, so only the close itself can end these sessions.
 */
class ClientCloseTest {
    private RelayServer relay;

    @BeforeEach
    void start() {
        RelayConfig config = RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1).toBuilder()
                .idleTimeout(Duration.ofMinutes(1))
                .build();
        relay = new RelayServer(config).start();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moqt", "https", "ws"})
    void aClientClosingAndExitingAtOnceIsSeenClosingEveryTime(String scheme) throws Exception {
        URI uri = URI.create(scheme + "://127.0.0.1:" + relay.port() + "/");
        int rounds = 10;
        for (int i = 0; i < rounds; i++) {
            MoqClient client = MoqClient.builder().insecure(true).build();
            ClientSession s = client.connect(uri).get(15, TimeUnit.SECONDS);
            long n = i + 1;
            // The relay counts a session once it has established it on its side (a step after the client's).
            Await.until("round " + i + ": the relay established the session",
                    () -> relay.sessionStats().sessionsOpened.sum() == n);
            s.close();
            client.close();
            Await.until("round " + i + ": the relay saw the session close", Duration.ofSeconds(20),
                    () -> relay.sessionStats().sessionsClosed.sum() == n);
        }
        Await.until("no session is left", () -> relay.sessionCount() == 0);
        assertEquals(rounds, relay.sessionStats().sessionsOpened.sum());
    }
}
