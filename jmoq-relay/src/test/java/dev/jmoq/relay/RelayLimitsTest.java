package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.testkit.Await;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each limit trips with the protocol's code, is counted, and leaves everyone else working. */
class RelayLimitsTest {
    private static RelayServer relay(RelayLimits limits) {
        return new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1).withLimits(limits))
                .start();
    }

    private static CompletableFuture<Long> subscribe(ClientSession s, String broadcast) {
        return Subscriptions.endOf(s, broadcast, "video");
    }

    @Test
    void sessionsPerAddressTripsAndExistingSessionsKeepWorking() throws Exception {
        try (RelayServer relay = relay(new RelayLimits(0, 2, 0, 0, 0));
                MoqClient client = MoqClient.builder().insecure(true).build()) {
            URI url = URI.create("ws://127.0.0.1:" + relay.port() + "/");
            List<ClientSession> ok = new ArrayList<>();
            ok.add(client.connect(url).get(15, TimeUnit.SECONDS));
            ok.add(client.connect(url).get(15, TimeUnit.SECONDS));
            Await.until("both sessions are admitted", () -> relay.sessionCount() == 2);
            ClientSession third;
            try {
                third = client.connect(url).get(15, TimeUnit.SECONDS);
                long code = third.closed().get(15, TimeUnit.SECONDS);
                assertTrue(code == 11L || code == -1L, "refused with " + code);
            } catch (java.util.concurrent.ExecutionException e) {
                // refused before the session was established: also a refusal
            }
            assertEquals(2, relay.sessionCount());
            // The two admitted sessions still work: a subscription gets its answer (not found).
            assertEquals(13L, subscribe(ok.getFirst(), "nothing/here").get(15, TimeUnit.SECONDS));
            String metrics = relay.metrics().scrape();
            assertTrue(metrics.contains("kind=\"sessions_per_address\""), metrics);
        }
    }

    @Test
    void subscribeRateTripsWithBoundsExceededAndRecovers() throws Exception {
        try (RelayServer relay = relay(new RelayLimits(0, 0, 0, 0, 2));
                MoqClient client = MoqClient.builder().insecure(true).build()) {
            ClientSession s = client.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
            List<CompletableFuture<Long>> ends = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ends.add(subscribe(s, "absent/" + i));
            }
            int limited = 0;
            int notFound = 0;
            for (CompletableFuture<Long> e : ends) {
                long code = e.get(15, TimeUnit.SECONDS);
                if (code == 11L) {
                    limited++;
                } else if (code == 13L) {
                    notFound++;
                }
            }
            assertTrue(limited >= 1, "some subscribes refused for the rate");
            assertTrue(notFound >= 2, "the burst allowance was served");
            assertTrue(relay.sessionStats().limitSubscribeRate.sum() >= 1);
            // The bucket refills: a later subscription is served again (answered not found, not limited).
            // A refused attempt takes no token, so asking again until one is served measures no time.
            Await.until("the bucket refills", () -> {
                try {
                    return subscribe(s, "absent/later").get(15, TimeUnit.SECONDS) == 13L;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void announcementsPerSessionTripsButTheSessionStays() throws Exception {
        try (RelayServer relay = relay(new RelayLimits(0, 0, 0, 2, 0));
                MoqClient client = MoqClient.builder().insecure(true).build()) {
            ClientSession pub = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
            pub.publish("a/1");
            pub.publish("a/2");
            pub.publish("a/3");
            Await.until("the third announcement is refused", () -> relay.sessionStats().limitAnnouncements.sum() == 1);
            assertEquals(2, relay.origin().list("a").size());
            assertTrue(!pub.closed().isDone());
        }
    }
}
