package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.relay.admin.AdminOptions;
import dev.jmoq.relay.auth.AuthOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayAdminTest {
    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRelayRunsItsAdminListenerAndStopsItOnShutdown() throws Exception {
        RelayConfig config = RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1);
        assertEquals(0, config.admin().port());
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            RelayServer relay = new RelayServer(config).start();
            int port = relay.adminPort();
            try {
                assertNotEquals(0, port);
                assertEquals(200, get(client, port, "/health/ready").statusCode());
                relay.sessionStats().sessionsOpened.increment();
                assertTrue(get(client, port, "/metrics").body().contains("jmoq_sessions_opened_total 1.0"));
            } finally {
                relay.close();
            }
            assertTrue(relay.readiness().isDraining());
            // The client's kept-alive connection is closed with the listener: the request fails, it does not hang.
            IOException e = assertThrows(IOException.class, () -> get(client, port, "/health"));
            assertFalse(e instanceof java.net.http.HttpTimeoutException, e.toString());
        }
    }

    @Test
    void theAdminListenerCanBeDisabled() {
        RelayConfig config = RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)
                .withAdmin(new AdminOptions(false, "127.0.0.1", 0, 10));
        try (RelayServer relay = new RelayServer(config).start()) {
            assertEquals(0, relay.adminPort());
        }
    }

    @Test
    void anUnloadableAuthKeyStopsConstruction(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.jwk");
        Files.writeString(key, "{\"alg\":\"HS256\",\"k\":\"dG9vIHNob3J0\"}");
        RelayConfig config = RelayConfig.defaults().withListen("127.0.0.1", 0)
                .withAuth(new AuthOptions(key, List.of(), List.of(), List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RelayServer(config));
        assertTrue(e.getMessage().startsWith("auth.key"), e.getMessage());
    }
}
