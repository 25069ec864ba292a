package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.testkit.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A republish on a live path (issue 10, fault 3): publisher A announces {@code p/x}, viewers on moq-lite-02
 * and moq-lite-04 subscribe, A's network goes silent with its session still open, and A2 announces
 * {@code p/x} from a new session. Every viewer's announce stream hears the route change (ended, then active)
 * and its subscription bound to A ends at once; subscribing again reaches A2's data.
 */
class RelayRouteChangeTest {
    private RelayServer relay;
    private MoqClient client;

    @BeforeEach
    void start() {
        // The default idle timeout (30 s) keeps the silent publisher's session open for the whole test.
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
        client = MoqClient.builder().insecure(true).build();
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    /** One viewer: its announce events for prefix {@code p}, and a subscription to {@code p/x} video. */
    private static final class Viewer {
        final ClientSession session;
        final List<String> announces = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Long> ended = new CompletableFuture<>();

        Viewer(ClientSession session) {
            this.session = session;
            session.announced("p", (suffix, active) -> announces.add((active ? "+" : "-") + suffix));
        }

        void subscribe() {
            Track t = session.subscribe("p/x", "video");
            session.executor().execute(() -> TrackReader.ofSubscription(t, session.executor(), new TrackReader.Handler() {
                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    frames.add(frame.toString(StandardCharsets.UTF_8));
                }

                @Override
                public void onEnd(long code) {
                    ended.complete(code);
                }
            }).start());
        }

        String nextFrame() throws InterruptedException {
            String f = frames.poll(15, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 15 s");
            }
            return f;
        }
    }

    private ClientSession connect(String scheme, int port, String protocol) throws Exception {
        MoqClient c = protocol == null ? client
                : MoqClient.builder().insecure(true).protocols(List.of(protocol)).build();
        if (c != client) {
            clients.add(c);
        }
        return c.connect(URI.create(scheme + "://127.0.0.1:" + port + "/")).get(15, TimeUnit.SECONDS);
    }

    private final List<MoqClient> clients = new CopyOnWriteArrayList<>();

    private static <T> T on(ClientSession s, Supplier<T> r) throws Exception {
        return CompletableFuture.supplyAsync(r, s.executor()).get(10, TimeUnit.SECONDS);
    }

    /** Publishes one one-frame group and waits until it is in the producer's track. */
    private static void publish(ClientSession s, Track t, long sequence, String payload) throws Exception {
        on(s, () -> {
            Group g = t.createGroup(sequence);
            g.append(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
            g.finish();
            return null;
        });
    }

    @Test
    void viewersOfARepublishedPathHearTheRouteChangeAndMoveToTheNewPublisher() throws Exception {
        try (SilentProxy proxy = new SilentProxy(relay.port())) {
            ClientSession a = connect("ws", proxy.port(), null);
            Track aVideo = on(a, () -> a.publish("p/x").createTrack("video"));
            Await.until("the relay lists p/x", () -> relay.origin().get("p/x") != null);

            Viewer lite02 = new Viewer(connect("moqt", relay.port(), "moql"));
            Viewer lite04 = new Viewer(connect("moqt", relay.port(), "moq-lite-04"));
            assertEquals("moq-lite-02", lite02.session.version());
            assertEquals("moq-lite-04", lite04.session.version());
            List<Viewer> viewers = List.of(lite02, lite04);
            for (Viewer v : viewers) {
                Await.until("the viewer hears p/x", () -> v.announces.equals(List.of("+x")));
                v.subscribe();
            }
            Await.until("both subscriptions reach A", () -> aVideo.subscriberCount() == 1);
            publish(a, aVideo, 0, "from-a");
            for (Viewer v : viewers) {
                assertEquals("from-a", v.nextFrame());
            }

            proxy.cut(); // A goes silent; its session stays open at the relay
            ClientSession a2 = connect("ws", relay.port(), null);
            Broadcast b2 = on(a2, () -> a2.publish("p/x"));
            Track a2Video = on(a2, () -> b2.createTrack("video"));
            Await.until("the relay routes p/x to A2", () -> relay.origin().routeChanges() == 1);

            for (Viewer v : viewers) {
                Await.until("the viewer hears the route change", () -> v.announces.size() == 3);
                assertEquals(List.of("+x", "-x", "+x"), v.announces);
                // Bound to A's route, the subscription ends at once rather than waiting on a silent peer.
                v.ended.get(15, TimeUnit.SECONDS);
            }
            assertTrue(relay.sessionCount() == 4, "A's session is still open: the change did not wait for it");
            assertTrue(relay.metrics().scrape().contains("jmoq_route_changes_total 1.0"), "counted for operators");

            // Re-subscribing reaches A2.
            for (Viewer v : viewers) {
                v.frames.clear();
                v.subscribe();
            }
            Await.until("both subscriptions reach A2", () -> a2Video.subscriberCount() == 1);
            publish(a2, a2Video, 0, "from-a2");
            for (Viewer v : viewers) {
                assertEquals("from-a2", v.nextFrame());
            }
            a.abandon();
        } finally {
            for (MoqClient c : clients) {
                c.close();
            }
        }
    }
}
