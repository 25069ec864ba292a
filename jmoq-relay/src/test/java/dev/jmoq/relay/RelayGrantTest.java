package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.session.Grant;
import dev.jmoq.testkit.Await;
import dev.jmoq.core.session.SessionAuthorizer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a session's grant allows is what it gets: publishing outside the grant is ignored, subscribing
 * outside it is refused with the unauthorized code, a refused session is closed, an expired grant ends
 * the session, and other sessions are untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayGrantTest {
    private RelayServer relay;
    private MoqClient client;

    /** Grants by URL: /pub may publish under room/alice, /view may subscribe under room, /expired expires at once, /deny is refused. */
    private static final SessionAuthorizer AUTHORIZER = connection -> {
        String path = connection.path();
        if (path.startsWith("/deny")) {
            throw new SessionAuthorizer.Refused("denied by test policy");
        }
        if (path.startsWith("/pub")) {
            return new Grant("", List.of("room/alice"), List.of(), null);
        }
        if (path.startsWith("/expiring")) {
            return new Grant("", List.of(), List.of("room"), Instant.now().plusMillis(300));
        }
        return new Grant("", List.of(), List.of("room"), null);
    };

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1), null, AUTHORIZER)
                .start();
        client = MoqClient.builder().insecure(true).build();
    }

    @AfterAll
    void stop() {
        client.close();
        relay.close();
    }

    private ClientSession connect(String path) throws Exception {
        return client.connect(URI.create("ws://127.0.0.1:" + relay.port() + path)).get(15, TimeUnit.SECONDS);
    }

    private static CompletableFuture<Long> end(ClientSession s, String broadcast) {
        return Subscriptions.endOf(s, broadcast, "video");
    }

    @Test
    void publishingOutsideTheGrantIsIgnoredAndInsideIsAccepted() throws Exception {
        ClientSession pub = connect("/pub");
        try {
            long refusedBefore = relay.sessionStats().unauthorized.sum();
            pub.publish("room/alice");
            pub.publish("room/mallory");
            Await.until("room/alice is accepted", () -> relay.origin().get("room/alice") != null);
            Await.until("room/mallory is refused", () -> relay.sessionStats().unauthorized.sum() > refusedBefore);
            assertNull(relay.origin().get("room/mallory"));
        } finally {
            pub.close();
        }
    }

    @Test
    void subscribingOutsideTheGrantIsRefusedWithUnauthorized() throws Exception {
        ClientSession viewer = connect("/view");
        try {
            assertEquals(6L, end(viewer, "elsewhere/x").get(15, TimeUnit.SECONDS));
            // Inside the grant but absent: not found, the session still works.
            assertEquals(13L, end(viewer, "room/nobody").get(15, TimeUnit.SECONDS));
        } finally {
            viewer.close();
        }
    }

    @Test
    void aRefusedSessionIsClosed() throws Exception {
        long refusedBefore = relay.sessionStats().sessionsRefused.sum();
        try {
            long code = connect("/deny").closed().get(15, TimeUnit.SECONDS);
            assertTrue(code == 6L || code == -1L, "closed with " + code);
        } catch (java.util.concurrent.ExecutionException e) {
            // closed before the session was even established: refused all the same
        }
        assertEquals(refusedBefore + 1, relay.sessionStats().sessionsRefused.sum());
    }

    @Test
    void anExpiredGrantEndsTheSession() throws Exception {
        ClientSession s = connect("/expiring");
        long code = s.closed().get(15, TimeUnit.SECONDS);
        assertTrue(code == 6L || code == -1L, "closed with " + code);
    }
}
