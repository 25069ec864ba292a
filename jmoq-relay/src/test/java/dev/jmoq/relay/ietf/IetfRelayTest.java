package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.RequestErrorCode;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A relay serving IETF moq-transport sessions of each stream layout (draft 14 with the version in
 * SETUP, 16 with the one control stream, 17/18 with request streams, 20), over raw QUIC and WebSocket:
 * announce, subscribe, 3 groups of 5 objects byte for byte; an unknown track refused with the draft's
 * DOES_NOT_EXIST; moq-lite publishers reaching IETF subscribers and the reverse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfRelayTest {
    private RelayServer relay;
    private MoqClient lite;
    private final List<MoqClient> clients = new ArrayList<>();

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
        lite = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moq-lite-04")).build();
    }

    @AfterAll
    void stop() {
        lite.close();
        for (MoqClient c : clients) {
            c.close();
        }
        relay.close();
    }

    private MoqClient ietf(String protocol) {
        MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
        clients.add(c);
        return c;
    }

    private ClientSession connect(MoqClient c, String scheme) throws Exception {
        return c.connect(URI.create(scheme + "://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
    }

    static <T> T on(ClientSession s, Supplier<T> r) throws Exception {
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

    /** Collects "group:index:text" per frame and the end code. */
    static final class Collector implements TrackReader.Handler {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Long> ended = new CompletableFuture<>();

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

    static Collector read(ClientSession s, String broadcast, String track) {
        Collector c = new Collector();
        Track t = s.subscribe(broadcast, track);
        s.executor().execute(() -> TrackReader.ofSubscription(t, s.executor(), c).start());
        return c;
    }

    private void awaitAnnounced(String path) throws InterruptedException {
        Await.until("relay.origin().get(path) == null to end", () -> !(relay.origin().get(path) == null));
        assertTrue(relay.origin().get(path) != null, path + " never announced at the relay");
    }

    private static void awaitSubscriber(Track t) throws InterruptedException {
        Await.until("t.subscriberCount() == 0 to end", () -> !(t.subscriberCount() == 0));
        assertTrue(t.subscriberCount() > 0, "the subscription never reached the publisher");
    }

    static String payload(int g, int o) {
        return "g" + g + "o" + o + "-" + "x".repeat(o * 37 + g);
    }

    /**
     * Publishes 3 groups of 5 objects on {@code t}, one group after the other has arrived (a live
     * stream), checks each object byte for byte and in order, then ends the track and expects a clean end.
     */
    static void produceAndExpect(ClientSession pub, Track t, Collector c) throws Exception {
        for (int g = 0; g < 3; g++) {
            int group = g;
            on(pub, () -> {
                Group created = t.createGroup(group);
                for (int o = 0; o < 5; o++) {
                    created.append(Unpooled.copiedBuffer(payload(group, o), StandardCharsets.UTF_8));
                }
                created.finish();
                return null;
            });
            for (int o = 0; o < 5; o++) {
                assertEquals(g + ":" + o + ":" + payload(g, o), c.next());
            }
        }
        on(pub, () -> {
            t.close();
            return null;
        });
        assertEquals(-1L, c.ended.get(15, TimeUnit.SECONDS), "the track ends cleanly (PUBLISH_DONE)");
    }

    /** Publisher and subscriber sessions of the given kinds: 3 groups x 5 objects arrive byte for byte, then the end. */
    private void roundTrip(ClientSession pub, ClientSession sub, String path) throws Exception {
        Broadcast b = pub.publish(path);
        Track t = on(pub, () -> b.createTrack("video"));
        awaitAnnounced(path);
        Collector c = read(sub, path, "video");
        awaitSubscriber(t);
        produceAndExpect(pub, t, c);
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"moq-00,moqt", "moqt-16,moqt", "moqt-17,moqt", "moqt-18,moqt", "moqt-20,moqt", "moqt-22,moqt",
            "moq-00,ws", "moqt-16,ws", "moqt-18,ws", "moqt-20,ws"})
    void announceSubscribeThreeGroupsOfFive(String protocol, String scheme) throws Exception {
        MoqClient c = ietf(protocol);
        try (ClientSession pub = connect(c, scheme); ClientSession sub = connect(c, scheme)) {
            assertEquals(protocol, pub.version());
            roundTrip(pub, sub, "ietf/" + protocol + "/" + scheme);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"moq-00", "moqt-16", "moqt-18", "moqt-20"})
    void unknownTrackIsRefusedWithDoesNotExist(String protocol) throws Exception {
        MoqClient c = ietf(protocol);
        IetfVersion v = protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
        try (ClientSession pub = connect(c, "moqt"); ClientSession sub = connect(c, "moqt")) {
            String path = "ietf-missing/" + protocol;
            Broadcast b = pub.publish(path);
            on(pub, () -> b.createTrack("video"));
            awaitAnnounced(path);
            Collector missing = read(sub, path, "audio");
            assertEquals(RequestErrorCode.DOES_NOT_EXIST.code(v), missing.ended.get(15, TimeUnit.SECONDS));
            Collector noBroadcast = read(sub, "nothing-here/" + protocol, "video");
            assertEquals(RequestErrorCode.DOES_NOT_EXIST.code(v), noBroadcast.ended.get(15, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest(name = "{0}: lite publisher, IETF subscriber, over {1}")
    @CsvSource({"moq-00,moqt", "moqt-16,ws", "moqt-18,moqt", "moqt-20,https"})
    void litePublisherReachesIetfSubscriber(String protocol, String scheme) throws Exception {
        try (ClientSession pub = connect(lite, "moqt"); ClientSession sub = connect(ietf(protocol), scheme)) {
            roundTrip(pub, sub, "cross/lite-to-" + protocol);
        }
    }

    @ParameterizedTest(name = "{0}: IETF publisher, lite subscriber, over {1}")
    @CsvSource({"moq-00,ws", "moqt-16,moqt", "moqt-18,https", "moqt-20,moqt"})
    void ietfPublisherReachesLiteSubscriber(String protocol, String scheme) throws Exception {
        try (ClientSession pub = connect(ietf(protocol), scheme); ClientSession sub = connect(lite, "ws")) {
            roundTrip(pub, sub, "cross/" + protocol + "-to-lite");
        }
    }
}
