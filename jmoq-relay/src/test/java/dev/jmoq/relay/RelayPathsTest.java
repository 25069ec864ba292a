package dev.jmoq.relay;

import dev.jmoq.testkit.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Broadcast;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Paths the relay does not store (core.model.Paths: longer than 1024 characters, a {@code .} or {@code ..}
 * segment, a control character) are refused one request at a time: an ANNOUNCE is ignored while its announce
 * stream goes on, an ANNOUNCE_PLEASE or SUBSCRIBE stream is reset with BOUNDS_EXCEEDED (too long) or
 * PROTOCOL_VIOLATION, the session stays, and each refusal counts in {@code jmoq_limit_violations{kind="path"}}.
 */
class RelayPathsTest {
    private static final Pattern PATH_VIOLATIONS =
            Pattern.compile("jmoq_limit_violations_total\\{kind=\"path\"\\} ([0-9.]+)");

    private static RelayServer relay() {
        return new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
    }

    private static double pathViolations(RelayServer relay) {
        Matcher m = PATH_VIOLATIONS.matcher(relay.metrics().scrape());
        assertTrue(m.find(), "no path limit counter in the metrics");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void announcementsOfPathsTheRelayDoesNotStoreAreRefusedOneByOne() throws Exception {
        try (RelayServer relay = relay(); RawLitePeer pub = new RawLitePeer(relay.port())) {
            List<String> refused = List.of("p/" + "x".repeat(2009), "p/" + "y".repeat(6008), "p/alice/../bob", "p/./a",
                    "p/..", "p/a\u0000b", "p/a\nb", "p/a\u007fb", "p/a\u0085b");
            for (String path : refused) {
                pub.announce(path);
            }
            pub.announce("p/ok");
            pub.announce("p/café/.hidden/a..b");
            // The last two arrive after every refused one on the same stream: waiting for them waits for all.
            Await.until("relay.origin().list('p').size() < 2 to end", () -> !(relay.origin().list("p").size() < 2));
            assertEquals(List.of("p/café/.hidden/a..b", "p/ok"),
                    relay.origin().list("p").stream().map(Broadcast::path).sorted().toList());
            assertEquals(refused.size(), relay.sessionStats().limitPaths.sum());
            assertEquals(refused.size(), pathViolations(relay));
            assertFalse(pub.announceReset.isDone(), "the announce stream was reset");
            assertFalse(pub.closed.isDone(), "the session was closed");
            assertEquals(1, relay.sessionCount());
        }
    }

    @Test
    void subscriptionsToSuchPathsAreResetOnTheirStreamOnly() throws Exception {
        try (RelayServer relay = relay(); MoqClient client = MoqClient.builder().insecure(true).build()) {
            ClientSession s = client.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
            assertEquals(11L, Subscriptions.endOf(s, "room/" + "x".repeat(1100), "video").get(15, TimeUnit.SECONDS));
            assertEquals(15L, Subscriptions.endOf(s, "room/alice/../bob", "video").get(15, TimeUnit.SECONDS));
            assertEquals(15L, Subscriptions.endOf(s, "room/\u0000", "video").get(15, TimeUnit.SECONDS));
            // The session goes on: an ordinary subscription gets its ordinary answer.
            assertEquals(13L, Subscriptions.endOf(s, "room/absent", "video").get(15, TimeUnit.SECONDS));
            assertEquals(3, relay.sessionStats().limitPaths.sum());
            assertFalse(s.closed().isDone());
        }
    }

    @Test
    void aPercentEncodedDotSegmentInTheUrlPathRefusesTheSession() throws Exception {
        try (RelayServer relay = relay(); MoqClient client = MoqClient.builder().insecure(true).build()) {
            ClientSession bad;
            try {
                bad = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/room/alice%2F..%2Fbob"))
                        .get(15, TimeUnit.SECONDS);
                bad.closed().get(15, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // refused before the session was established: also a refusal
            }
            assertTrue(relay.metrics().scrape().contains("jmoq_auth_refusals_total{reason=\"invalid_path\"} 1.0"));
            assertEquals(1.0, pathViolations(relay));
            ClientSession good = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/room/alice%2Fbob"))
                    .get(15, TimeUnit.SECONDS);
            good.publish("x");
            Await.until("relay.origin().get('room/alice/bob/x') == null to end", () -> !(relay.origin().get("room/alice/bob/x") == null));
            assertTrue(relay.origin().get("room/alice/bob/x") != null, "a percent-encoded slash is a separator");
        }
    }
}
