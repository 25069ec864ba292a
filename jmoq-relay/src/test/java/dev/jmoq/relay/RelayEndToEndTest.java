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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A relay with Java clients on both sides, over each transport: what goes in comes out byte-identical,
 * late joiners start at the current group, a vanished publisher ends its tracks, announcements come and go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayEndToEndTest {
    private RelayServer relay;
    private MoqClient client;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
        client = MoqClient.builder().insecure(true).threads(2).build();
    }

    @AfterAll
    void stop() {
        client.close();
        relay.close();
    }

    private URI url(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + relay.port() + "/");
    }

    private ClientSession connect(String scheme) throws Exception {
        return client.connect(url(scheme)).get(15, TimeUnit.SECONDS);
    }

    /** Runs {@code r} on the session's loop and waits. */
    private static <T> T on(ClientSession s, java.util.function.Supplier<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.executor().execute(() -> {
            try {
                f.complete(r.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** Collects "seq:index:hex" per frame and the end code. */
    private static final class Collector implements TrackReader.Handler {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Long> ended = new CompletableFuture<>();
        final BlockingQueue<Long> groupStarts = new LinkedBlockingQueue<>();

        @Override
        public void onGroupStart(long sequence) {
            groupStarts.add(sequence);
        }

        @Override
        public void onFrame(long sequence, int index, ByteBuf frame) {
            frames.add(sequence + ":" + index + ":" + frame.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void onEnd(long code) {
            ended.complete(code);
        }

        String next() throws InterruptedException {
            String f = frames.poll(15, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 15 s");
            }
            return f;
        }
    }

    private static Collector read(ClientSession s, String broadcast, String track) {
        Collector c = new Collector();
        Track t = s.subscribe(broadcast, track);
        s.executor().execute(() -> TrackReader.ofSubscription(t, s.executor(), c).start());
        return c;
    }

    /** Waits until the relay knows {@code path}. */
    private void awaitAnnounced(String path) {
        Await.until(path + " announced at the relay", () -> relay.origin().get(path) != null);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moqt", "ws", "https"})
    void framesArriveByteIdenticalInOrder(String scheme) throws Exception {
        String name = "bytes-" + scheme;
        ClientSession pub = connect(scheme);
        ClientSession sub = connect(scheme);
        try {
            Broadcast b = pub.publish(name);
            Track t = on(pub, () -> b.createTrack("video"));
            awaitAnnounced(name);
            Collector c = read(sub, name, "video");
            // The subscription reaches the relay and upstream before we produce: wait for it.
            Await.until("the subscription reaches the publisher", () -> t.subscriberCount() > 0);
            on(pub, () -> {
                for (int g = 0; g < 5; g++) {
                    Group group = t.createGroup(g);
                    for (int f = 0; f < 3; f++) {
                        group.append(bytes("g" + g + "f" + f + "-" + "x".repeat(g * 100)));
                    }
                    group.finish();
                }
                return null;
            });
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                got.add(c.next());
            }
            for (int g = 0; g < 5; g++) {
                for (int f = 0; f < 3; f++) {
                    assertTrue(got.contains(g + ":" + f + ":g" + g + "f" + f + "-" + "x".repeat(g * 100)), got.toString());
                }
            }
            // Within a group frames keep their order.
            for (int g = 0; g < 5; g++) {
                int last = -1;
                for (String s : got) {
                    if (s.startsWith(g + ":")) {
                        int idx = Integer.parseInt(s.split(":")[1]);
                        assertTrue(idx > last);
                        last = idx;
                    }
                }
            }
        } finally {
            pub.close();
            sub.close();
        }
    }

    @Test
    void lateSubscriberStartsAtTheCurrentGroupFromItsFirstFrame() throws Exception {
        String name = "late";
        ClientSession pub = connect("ws");
        ClientSession early = connect("ws");
        ClientSession late = connect("ws");
        try {
            Broadcast b = pub.publish(name);
            Track t = on(pub, () -> b.createTrack("video"));
            awaitAnnounced(name);
            Collector first = read(early, name, "video");
            Await.until("the subscription reaches the publisher", () -> t.subscriberCount() > 0);
            Group[] open = new Group[1];
            on(pub, () -> {
                for (int g = 0; g < 4; g++) {
                    Group group = t.createGroup(g);
                    group.append(bytes("g" + g + "f0"));
                    group.append(bytes("g" + g + "f1"));
                    if (g < 3) {
                        group.finish();
                    } else {
                        open[0] = group;
                    }
                }
                return null;
            });
            // The early subscriber has seen group 3's first frames: the relay has it cached.
            for (int i = 0; i < 8; i++) {
                first.next();
            }
            Collector second = read(late, name, "video");
            assertEquals("3:0:g3f0", second.next());
            assertEquals("3:1:g3f1", second.next());
            on(pub, () -> {
                open[0].append(bytes("g3f2"));
                open[0].finish();
                Group g4 = t.createGroup(4);
                g4.append(bytes("g4f0"));
                g4.finish();
                return null;
            });
            // Groups travel on their own streams: across groups order is free, within a group it is kept.
            List<String> rest = List.of(second.next(), second.next());
            assertTrue(rest.contains("3:2:g3f2") && rest.contains("4:0:g4f0"), rest.toString());
        } finally {
            pub.close();
            early.close();
            late.close();
        }
    }

    @Test
    void publisherVanishingMidGroupEndsItsTrackButNotOthers() throws Exception {
        ClientSession dying = connect("ws");
        ClientSession steady = connect("ws");
        ClientSession viewer = connect("ws");
        try {
            Track dt = on(dying, () -> dying.publish("dying").createTrack("video"));
            Track st = on(steady, () -> steady.publish("steady").createTrack("video"));
            awaitAnnounced("dying");
            awaitAnnounced("steady");
            Collector dc = read(viewer, "dying", "video");
            Collector sc = read(viewer, "steady", "video");
            Await.until("both subscriptions reach their publishers",
                    () -> dt.subscriberCount() > 0 && st.subscriberCount() > 0);
            on(dying, () -> {
                Group g = dt.createGroup(0);
                g.append(bytes("half"));
                return null; // left open: the publisher dies mid-group
            });
            on(steady, () -> {
                Group g = st.createGroup(0);
                g.append(bytes("s0"));
                g.finish();
                return null;
            });
            assertEquals("0:0:half", dc.next());
            assertEquals("0:0:s0", sc.next());
            dying.abandon();
            long code = dc.ended.get(15, TimeUnit.SECONDS);
            assertTrue(code >= 0, "track of a vanished publisher ends with an error code, got " + code);
            on(steady, () -> {
                Group g = st.createGroup(1);
                g.append(bytes("s1"));
                g.finish();
                return null;
            });
            assertEquals("1:0:s1", sc.next());
            assertTrue(!sc.ended.isDone());
        } finally {
            steady.close();
            viewer.close();
        }
    }

    @Test
    void announcementsByPrefixAppearAndEnd() throws Exception {
        ClientSession watcher = connect("ws");
        ClientSession pub = connect("ws");
        try {
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            watcher.announced("room", (suffix, active) -> events.add((active ? "+" : "-") + suffix));
            Broadcast alice = pub.publish("room/alice");
            Broadcast other = pub.publish("roomy/bob");
            assertEquals("+alice", events.poll(15, TimeUnit.SECONDS));
            on(pub, () -> {
                alice.close();
                return null;
            });
            assertEquals("-alice", events.poll(15, TimeUnit.SECONDS));
            assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "roomy/bob is not under room");
            other.close();
        } finally {
            watcher.close();
            pub.close();
        }
    }

    @Test
    void manySubscribersAllReceiveEveryGroup() throws Exception {
        int n = 50;
        String name = "fanout";
        ClientSession pub = connect("ws");
        List<ClientSession> subs = new ArrayList<>();
        List<Collector> collectors = new ArrayList<>();
        try {
            Track t = on(pub, () -> pub.publish(name).createTrack("audio"));
            awaitAnnounced(name);
            for (int i = 0; i < n; i++) {
                ClientSession s = connect(i % 2 == 0 ? "ws" : "moqt");
                subs.add(s);
                collectors.add(read(s, name, "audio"));
            }
            // Every subscription is in place once the relay's track has n subscribers.
            Await.until("all " + n + " subscriptions are in place at the relay", () -> {
                Broadcast rb = relay.origin().get(name);
                Track relayTrack = rb == null ? null : rb.track("audio");
                return relayTrack != null && relayTrack.subscriberCount() == n;
            });
            // Paced like live audio: a burst wider than the relay's cache window (8 groups) would be
            // skipped by design for subscribers that had not drained yet.
            int groups = 20;
            for (int g = 0; g < groups; g++) {
                int seq = g;
                on(pub, () -> {
                    Group group = t.createGroup(seq);
                    group.append(bytes("a" + seq));
                    group.finish();
                    return null;
                });
                Thread.sleep(15); // pacing the producer, not waiting for an outcome
            }
            for (Collector c : collectors) {
                List<String> got = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    String f = c.frames.poll(15, TimeUnit.SECONDS);
                    assertTrue(f != null, "subscriber got only " + got + "; relay egress lagging resets="
                            + relay.egressStats().groupsResetLagging.sum() + " skipped="
                            + relay.egressStats().groupsSkipped.sum() + " stopped=" + relay.egressStats().groupsStopped.sum()
                            + " out=" + relay.egressStats().groupsOut.sum());
                    got.add(f);
                }
                for (int g = 0; g < groups; g++) {
                    assertTrue(got.contains(g + ":0:a" + g), got.toString());
                }
            }
        } finally {
            pub.close();
            for (ClientSession s : subs) {
                s.close();
            }
        }
    }

    @Test
    void subscribingToAnUnknownBroadcastEndsWithNotFound() throws Exception {
        ClientSession s = connect("ws");
        try {
            Collector c = read(s, "nobody/here", "video");
            long code = c.ended.get(15, TimeUnit.SECONDS);
            assertEquals(13L, code);
        } finally {
            s.close();
        }
    }
}
