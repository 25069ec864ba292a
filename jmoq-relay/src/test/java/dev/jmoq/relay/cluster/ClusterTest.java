package dev.jmoq.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.admin.AdminOptions;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.relay.Subscriptions;
import dev.jmoq.testkit.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several relays on loopback joined by links: an origin with two edges, a three-peer mesh, a relay that
 * dies and comes back. Announcements cross with their hops and never loop; subscriptions aggregate.
 */
class ClusterTest {
    private final List<RelayServer> relays = new ArrayList<>();
    private MoqClient client;

    @BeforeEach
    void setUp() {
        client = MoqClient.builder().insecure(true).threads(2).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        for (RelayServer r : relays) {
            r.close();
        }
    }

    private RelayServer relay(int port) {
        // The admin listener on a free port too: a relay re-started on a fixed port must not need 9090.
        RelayConfig c = RelayConfig.defaults().withListen("127.0.0.1", port).withEventLoops(1)
                .withAdmin(new AdminOptions(true, "127.0.0.1", 0, 100))
                .withCluster(ClusterOptions.none().withInsecure(true));
        // A fixed relay port keeps the admin default 9090, which another process on the machine may hold.
        c = c.withAdmin(new AdminOptions(c.admin().enabled(), c.admin().host(), 0, c.admin().broadcastSeries()));
        RelayServer r = new RelayServer(c).start();
        relays.add(r);
        return r;
    }

    private static URI url(RelayServer r) {
        return URI.create("moqt://127.0.0.1:" + r.port() + "/");
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    private static <T> T on(ClientSession s, java.util.function.Supplier<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.executor().execute(() -> f.complete(r.get()));
        return f.get(10, TimeUnit.SECONDS);
    }

    private ClientSession connect(RelayServer r) throws Exception {
        return client.connect(url(r)).get(15, TimeUnit.SECONDS);
    }

    private static BlockingQueue<String> read(ClientSession s, String broadcast, String track,
            CompletableFuture<Long> ended) {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        Track t = s.subscribe(broadcast, track);
        s.executor().execute(() -> TrackReader.ofSubscription(t, s.executor(), new TrackReader.Handler() {
            @Override
            public void onFrame(long sequence, int index, ByteBuf frame) {
                frames.add(sequence + ":" + frame.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onEnd(long code) {
                ended.complete(code);
            }
        }).start());
        return frames;
    }

    private static void send(ClientSession pub, Track t, long seq) throws Exception {
        on(pub, () -> {
            Group g = t.createGroup(seq);
            g.append(Unpooled.copiedBuffer("f" + seq, StandardCharsets.UTF_8));
            g.finish();
            return null;
        });
    }

    @Test
    void anOriginWithTwoEdgesServesSubscribersOnBothThroughOneUpstreamSubscriptionEach() throws Exception {
        RelayServer origin = relay(0);
        RelayServer edge1 = relay(0);
        RelayServer edge2 = relay(0);
        edge1.link(url(origin), LinkKind.UPSTREAM);
        edge2.link(url(origin), LinkKind.UPSTREAM);
        ClientSession pub = connect(origin);
        Track t = on(pub, () -> pub.publish("live/cam").createTrack("video"));
        await("edges learn the broadcast", () -> edge1.origin().get("live/cam") != null
                && edge2.origin().get("live/cam") != null);
        List<BlockingQueue<String>> viewers = new ArrayList<>();
        for (RelayServer edge : List.of(edge1, edge2, edge1, edge2)) {
            viewers.add(read(connect(edge), "live/cam", "video", new CompletableFuture<>()));
        }
        // Four viewers on two edges: the origin's track has exactly one subscriber per edge.
        await("edges subscribe upstream", () -> {
            Broadcast b = origin.origin().get("live/cam");
            return b != null && b.track("video") != null && b.track("video").subscriberCount() == 2;
        });
        await("the publisher is asked once", () -> t.subscriberCount() == 1);
        for (int g = 0; g < 5; g++) {
            send(pub, t, g);
            Thread.sleep(10); // pacing the producer, not waiting for an outcome
        }
        for (BlockingQueue<String> v : viewers) {
            List<String> got = new ArrayList<>();
            for (int g = 0; g < 5; g++) {
                String f = v.poll(15, TimeUnit.SECONDS);
                assertNotNull(f, "got only " + got);
                got.add(f);
            }
            for (int g = 0; g < 5; g++) {
                assertTrue(got.contains(g + ":f" + g), got.toString());
            }
        }
        // An upstream pulls only: the edges' own publishers are not offered to the origin.
        ClientSession edgePub = connect(edge1);
        edgePub.publish("edge/only");
        await("edge1 learns its own publisher", () -> edge1.origin().get("edge/only") != null);
        // The origin answers a subscription to it with NOT_FOUND (13): it never learned the path.
        assertEquals(13L, Subscriptions.endOf(connect(origin), "edge/only", "video").get(15, TimeUnit.SECONDS));
        assertNull(origin.origin().get("edge/only"));
    }

    @Test
    void anEdgeIsNotReadyWhileItsUpstreamIsDownAndReadyOnceItIsUp() throws Exception {
        RelayServer probe = relay(0);
        int port = probe.port();
        probe.close(); // a port where no relay runs yet
        RelayServer edge = relay(0);
        ClusterLink link = edge.link(URI.create("moqt://127.0.0.1:" + port + "/"), LinkKind.UPSTREAM);
        assertTrue(!edge.readiness().isReady(), "not ready while the upstream is unreachable");
        RelayServer origin = relay(port);
        await("link up", link::isConnected);
        await("ready", () -> edge.readiness().isReady());
        origin.close();
        await("not ready again", () -> !edge.readiness().isReady());
    }

    @Test
    void aThreePeerMeshSharesEveryBroadcastWithoutLoops() throws Exception {
        RelayServer a = relay(0);
        RelayServer b = relay(0);
        RelayServer c = relay(0);
        a.link(url(b), LinkKind.PEER);
        b.link(url(c), LinkKind.PEER);
        c.link(url(a), LinkKind.PEER);
        await("links up", () -> a.links().getFirst().isConnected() && b.links().getFirst().isConnected()
                && c.links().getFirst().isConnected());
        ClientSession pub = connect(a);
        Track t = on(pub, () -> pub.publish("mesh/x").createTrack("audio"));
        await("every peer learns the broadcast", () -> b.origin().get("mesh/x") != null
                && c.origin().get("mesh/x") != null);
        // The direct route (one relay hop) is preferred over the two-hop one.
        assertTrue(b.origin().get("mesh/x").hops().contains(a.originId()));
        assertTrue(!b.origin().get("mesh/x").hops().contains(c.originId()), "b prefers the route straight from a");
        assertTrue(!c.origin().get("mesh/x").hops().contains(b.originId()), "c prefers the route straight from a");
        BlockingQueue<String> onC = read(connect(c), "mesh/x", "audio", new CompletableFuture<>());
        await("c subscribes", () -> t.subscriberCount() >= 1);
        send(pub, t, 0);
        assertEquals("0:f0", onC.poll(15, TimeUnit.SECONDS));
        // No loop: once a group went a -> c, every link has carried the announcements, and a never took
        // its own broadcast back from a peer.
        assertTrue(!a.origin().get("mesh/x").hops().contains(b.originId())
                && !a.origin().get("mesh/x").hops().contains(c.originId()), "a's route is its local publisher's");
        // The publisher leaves: the broadcast is withdrawn everywhere.
        pub.close();
        await("withdrawn everywhere", () -> a.origin().get("mesh/x") == null && b.origin().get("mesh/x") == null
                && c.origin().get("mesh/x") == null);
    }

    @Test
    void aRelayThatDiesAndReturnsIsRedialedAndItsBroadcastsComeBack() throws Exception {
        RelayServer origin = relay(0);
        int port = origin.port();
        RelayServer edge = relay(0);
        ClusterLink link = edge.link(url(origin), LinkKind.UPSTREAM);
        ClientSession pub = connect(origin);
        on(pub, () -> pub.publish("re/cam").createTrack("video"));
        await("edge learns the broadcast", () -> edge.origin().get("re/cam") != null);
        CompletableFuture<Long> ended = new CompletableFuture<>();
        read(connect(edge), "re/cam", "video", ended);
        await("the edge subscribed", () -> origin.origin().get("re/cam").track("video") != null);

        origin.close();
        // The edge's subscriber sees its track end with an error; the broadcast is withdrawn.
        long code = ended.get(15, TimeUnit.SECONDS);
        assertTrue(code >= 0, "ended with " + code);
        await("withdrawn at the edge", () -> edge.origin().get("re/cam") == null);
        await("link down", () -> !link.isConnected());

        RelayServer back = relay(port);
        ClientSession pub2 = connect(back);
        Track t2 = on(pub2, () -> pub2.publish("re/cam").createTrack("video"));
        await("link re-dialed", link::isConnected);
        assertTrue(link.connects() >= 2);
        await("announced again at the edge", () -> edge.origin().get("re/cam") != null);
        BlockingQueue<String> again = read(connect(edge), "re/cam", "video", new CompletableFuture<>());
        await("subscribed again", () -> t2.subscriberCount() == 1);
        send(pub2, t2, 7);
        assertEquals("7:f7", again.poll(15, TimeUnit.SECONDS));
    }
}
