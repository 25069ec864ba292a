package dev.jmoq.relay.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A running relay serves the pages on its TCP port beside /certificate.sha256, and the dashboard on the admin port. */
class RelayPagesTest {
    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRelayServesItsPagesAndTheDashboardData() throws Exception {
        RelayServer relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            int port = relay.port();
            assertEquals(relay.certificate().sha256Hex(), get(client, port, "/certificate.sha256").body());
            HttpResponse<String> index = get(client, port, "/");
            assertEquals(200, index.statusCode());
            assertTrue(index.headers().firstValue("content-type").orElse("").startsWith("text/html"));
            assertEquals(200, get(client, port, "/watch/room/alice").statusCode());
            assertEquals(404, get(client, port, "/nope").statusCode());
            for (int p : new int[] {port, relay.adminPort()}) {
                JsonNode state = new ObjectMapper().readTree(get(client, p, "/api/dashboard").body());
                assertEquals("ok", state.path("relay").path("status").asText());
                assertEquals(0, state.path("sessions").path("total").asInt());
            }
            assertEquals(200, get(client, relay.adminPort(), "/").statusCode());
            assertEquals(200, get(client, relay.adminPort(), "/health/live").statusCode());
        } finally {
            relay.close();
        }
    }
}
