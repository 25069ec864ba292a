package dev.jmoq.relay.lite05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.ProtocolFamily;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.core.session.lite.LiteFamily;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.Datagram;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * moq-lite-05 datagrams through the relay (draft-lcurley-moq-lite-05, "Datagrams"): a one-frame group a
 * lite-05 publisher sends as a datagram becomes a datagram group at the relay (timestamp kept) and reaches
 * lite-05 subscribers on raw QUIC and WebTransport as one datagram again, IETF subscribers as an
 * OBJECT_DATAGRAM, lite-04 subscribers and lite-05 subscribers over WebSocket (a Qmux binding) on a group
 * stream; datagrams a lite-05 peer sends over WebSocket's qmux DATAGRAM frames are read like any other; groups of several frames, or whose datagram would
 * exceed 1200 bytes, go on streams. A datagram and a group stream of the same sequence are deduplicated;
 * truncated and unknown-subscription datagrams are dropped and counted while the session goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiteDatagramTest {
    private static final LiteVersion V = LiteVersion.DRAFT_05;
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    /** Collects "group:index:text" per frame. */
    private static final class Collector implements TrackReader.Handler {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

        @Override
        public void onFrame(long sequence, int index, ByteBuf frame) {
            frames.add(sequence + ":" + index + ":" + frame.toString(StandardCharsets.UTF_8));
        }

        String next() throws InterruptedException {
            String f = frames.poll(15, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 15 s");
            }
            return f;
        }
    }

    private record Reading(ClientSession session, Track track, Collector frames) {
        Group group(long sequence) throws Exception {
            return on(session, () -> track.bySequence(sequence));
        }
    }

    private static Reading read(ClientSession s, String broadcast, String track) {
        Collector c = new Collector();
        Track t = s.subscribe(broadcast, track);
        s.executor().execute(() -> TrackReader.ofSubscription(t, s.executor(), c).start());
        return new Reading(s, t, c);
    }

    private static <T> T on(ClientSession s, Supplier<T> r) throws Exception {
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

    private static MoqClient client(String protocol) {
        return MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
    }

    private static String text(String head, int size) {
        return head + "x".repeat(Math.max(0, size - head.length()));
    }

    /** Publishes group {@code seq} of {@code t} as a datagram group with the given frames, then ends it. */
    private static void datagramGroup(ClientSession pub, Track t, long seq, long timestamp, String... frames)
            throws Exception {
        on(pub, () -> {
            Group g = t.createGroup(seq);
            g.markDatagram();
            for (String f : frames) {
                g.append(Group.NEXT_OBJECT, timestamp, null, ObjectStatus.NORMAL,
                        Unpooled.copiedBuffer(f, StandardCharsets.UTF_8), true);
            }
            g.finish();
            return null;
        });
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"moqt", "https"})
    void oneFrameGroupsTravelAsDatagramsEverywhereTheyCan(String scheme) throws Exception {
        String path = "lite-dgram/" + scheme;
        URI url = URI.create(scheme + "://127.0.0.1:" + relay.port() + "/");
        try (MoqClient lite = client("moq-lite-05"); MoqClient ietf = client("moqt-20"); MoqClient old = client("moq-lite-04");
                ClientSession pub = lite.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession sub = lite.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession ietfSession = ietf.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession oldSession = old.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession wsSession = lite.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/"))
                        .get(15, TimeUnit.SECONDS)) {
            Broadcast b = pub.publish(path);
            Track t = on(pub, () -> b.createTrack("audio"));
            Await.until("the relay learned the broadcast", () -> relay.origin().get(path) != null);
            Reading lite05 = read(sub, path, "audio");
            Reading moqt = read(ietfSession, path, "audio");
            Reading lite04 = read(oldSession, path, "audio");
            Reading overWebSocket = read(wsSession, path, "audio");
            Await.until("the publisher serves the relay", () -> t.subscriberCount() >= 1);
            Track relayed = relay.origin().get(path).track("audio");
            Await.until("four subscribers reached the relay's track", () -> relayed.subscriberCount() >= 4);
            long in = relay.sessionStats().datagramsIn.sum();
            long out = relay.egressStats().datagramsOut.sum();
            long fallbacks = relay.egressStats().datagramFallbacks.sum();

            String big = text("big-", 1300); // a datagram body over 1200 bytes: not eligible
            datagramGroup(pub, t, 0, 1000, "g0");
            datagramGroup(pub, t, 1, 2000, "g1-a", "g1-b"); // two frames: a stream
            datagramGroup(pub, t, 2, 3000, big);
            datagramGroup(pub, t, 3, 4000, "g3");
            List<String> expected = List.of("0:0:g0", "1:0:g1-a", "1:1:g1-b", "2:0:" + big, "3:0:g3");
            for (Reading r : List.of(lite05, moqt, lite04, overWebSocket)) {
                List<String> got = new java.util.ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    got.add(r.frames().next());
                }
                got.sort(null); // datagrams and streams may overtake one another
                assertEquals(expected, got, r.session().version());
            }

            // The relay: groups 0 and 3 came as datagrams (timestamps kept), 1 and 2 on streams.
            for (long g : new long[] {0, 3}) {
                assertTrue(relayed.bySequence(g).isDatagram(), "relay group " + g + " arrived as a datagram");
                assertEquals(1000 * (g + 1), relayed.bySequence(g).timestamp(0), "the datagram's timestamp kept");
            }
            assertFalse(relayed.bySequence(1).isDatagram(), "a two-frame group goes on a stream");
            assertFalse(relayed.bySequence(2).isDatagram(), "an oversized frame goes on a stream");
            assertTrue(relay.sessionStats().datagramsIn.sum() - in >= 2, "the relay received datagrams");
            // To lite-05 and IETF: 2 datagrams each; groups 1 and 2 (not datagram groups) never try.
            assertTrue(relay.egressStats().datagramsOut.sum() - out >= 4, "the relay sent datagrams");
            assertEquals(fallbacks, relay.egressStats().datagramFallbacks.sum(), "no datagram group needed a stream");

            for (long g : new long[] {0, 3}) {
                assertTrue(lite05.group(g).isDatagram(), "lite-05 subscriber received group " + g + " as a datagram");
                assertEquals(1000 * (g + 1), lite05.group(g).timestamp(0), "the publisher's timestamp end to end");
                assertTrue(moqt.group(g).isDatagram(), "IETF subscriber received group " + g + " as an OBJECT_DATAGRAM");
                assertFalse(lite04.group(g).isDatagram(), "lite-04 has no datagrams: a group stream");
                assertFalse(overWebSocket.group(g).isDatagram(),
                        "lite-05 over WebSocket (a Qmux binding, where publishers must not send datagrams): a stream");
            }
            assertFalse(lite05.group(1).isDatagram());
        }
    }

    /** A datagram group the relay holds that is not eligible for a lite-05 datagram goes on a stream, counted. */
    @Test
    void anIetfDatagramGroupOfSeveralObjectsReachesLite05OnAStream() throws Exception {
        String path = "lite-dgram/from-ietf";
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient ietf = client("moqt-20"); MoqClient lite = client("moq-lite-05");
                ClientSession pub = ietf.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession sub = lite.connect(url).get(15, TimeUnit.SECONDS)) {
            Track t = pub.publishTrack(path, "audio").get(15, TimeUnit.SECONDS);
            Await.until("the relay holds the published track", () -> relay.origin().get(path) != null);
            Track relayed = relay.origin().get(path).track("audio");
            Reading r = read(sub, path, "audio");
            Await.until("the subscriber reached the track", () -> relayed.subscriberCount() >= 1);
            long fallbacks = relay.egressStats().datagramFallbacks.sum();
            datagramGroup(pub, t, 0, Group.NO_TIMESTAMP, "one");
            assertEquals("0:0:one", r.frames().next());
            datagramGroup(pub, t, 1, Group.NO_TIMESTAMP, "a", "b", "c");
            assertEquals("1:0:a", r.frames().next());
            assertEquals("1:1:b", r.frames().next());
            assertEquals("1:2:c", r.frames().next());
            assertTrue(relayed.bySequence(0).isDatagram() && relayed.bySequence(1).isDatagram(),
                    "the relay received OBJECT_DATAGRAMs");
            assertTrue(r.group(0).isDatagram(), "a one-object IETF datagram group is a lite-05 datagram");
            assertFalse(r.group(1).isDatagram(), "three objects: a group stream");
            assertEquals(fallbacks + 1, relay.egressStats().datagramFallbacks.sum(), "the fallback is counted");
        }
    }

    /** Captures the connection of each session the client makes, to send raw datagrams on it. */
    private static final class Capturing implements ProtocolFamily {
        private final LiteFamily lite = new LiteFamily();
        final CompletableFuture<MoqConnection> connection = new CompletableFuture<>();

        @Override
        public String name() {
            return lite.name();
        }

        @Override
        public List<String> protocols() {
            return List.of("moq-lite-05");
        }

        @Override
        public boolean accepts(String protocol) {
            return lite.accepts(protocol);
        }

        @Override
        public Session create(SessionContext context) {
            connection.complete(context.connection());
            return lite.create(context);
        }

        @Override
        public long code(dev.jmoq.core.session.SessionError error) {
            return lite.code(error);
        }
    }

    private static ByteBuf body(long subscribe, long sequence, long timestamp, String payload) {
        ByteBuf out = Unpooled.buffer();
        Datagram.writeHeader(out, V, subscribe, sequence, timestamp);
        out.writeCharSequence(payload, StandardCharsets.UTF_8);
        return out;
    }

    private static void send(MoqConnection c, ByteBuf datagram) throws Exception {
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        c.eventLoop().execute(() -> sent.complete(c.sendDatagram(datagram)));
        assertTrue(sent.get(10, TimeUnit.SECONDS), "the transport took the datagram");
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"moqt", "https", "ws"})
    void duplicatesAndMalformedDatagramsAreDroppedAndCountedWhileTheSessionGoesOn(String scheme) throws Exception {
        String path = "lite-dgram-bad/" + scheme;
        URI url = URI.create(scheme + "://127.0.0.1:" + relay.port() + "/");
        Capturing family = new Capturing();
        try (MoqClient lite = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moq-lite-05"))
                        .sessionFactory(new SessionFactory(List.of(family))).build();
                MoqClient viewer = client("moq-lite-05");
                ClientSession pub = lite.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession sub = viewer.connect(url).get(15, TimeUnit.SECONDS)) {
            MoqConnection raw = family.connection.get(10, TimeUnit.SECONDS);
            // On WebSocket the relay's qmux parameters (max_datagram_frame_size) arrive after the session starts.
            Await.until("the connection carries datagrams", () -> raw.eventLoop().submit(raw::maxDatagramSize)
                    .syncUninterruptibly().getNow() > 0);
            Broadcast b = pub.publish(path);
            Track t = on(pub, () -> b.createTrack("audio"));
            Await.until("the relay learned the broadcast", () -> relay.origin().get(path) != null);
            Reading r = read(sub, path, "audio");
            Await.until("the publisher serves the relay", () -> t.subscriberCount() >= 1);
            Track relayed = relay.origin().get(path).track("audio");
            // The relay's first SUBSCRIBE on this session has id 0 (moq-lite subscribe ids count from 0).
            long dropped = relay.sessionStats().datagramsDropped.sum();
            long malformed = relay.sessionStats().datagramsMalformed.sum();
            long refused = relay.sessionStats().groupsRefused.sum();

            // A datagram first: it makes group 5; the stream of group 5 that follows is refused.
            send(raw, body(0, 5, 77, "from-datagram"));
            assertEquals("5:0:from-datagram", r.frames().next());
            assertTrue(relayed.bySequence(5).isDatagram());
            on(pub, () -> {
                Group g = t.createGroup(5);
                g.append(Unpooled.copiedBuffer("from-stream", StandardCharsets.UTF_8));
                g.finish();
                return null;
            });
            Await.until("the stream of group 5 was refused as a duplicate",
                    () -> relay.sessionStats().groupsRefused.sum() > refused);
            // A stream first: group 6 on a stream, then a datagram of group 6, dropped.
            on(pub, () -> {
                Group g = t.createGroup(6);
                g.append(Unpooled.copiedBuffer("six", StandardCharsets.UTF_8));
                g.finish();
                return null;
            });
            assertEquals("6:0:six", r.frames().next());
            send(raw, body(0, 6, 0, "six-again"));
            Await.until("the datagram of group 6 was dropped", () -> relay.sessionStats().datagramsDropped.sum() > dropped);

            long droppedBefore = relay.sessionStats().datagramsDropped.sum();
            ByteBuf truncated = Unpooled.buffer();
            truncated.writeByte(0x40); // a two-byte varint cut after its first byte
            send(raw, truncated);
            ByteBuf noTimestamp = Unpooled.buffer();
            VarInt.write(noTimestamp, 0);
            VarInt.write(noTimestamp, 7); // subscribe and sequence, then nothing: the timestamp is missing
            send(raw, noTimestamp);
            send(raw, body(99, 8, 0, "nobody")); // no subscription 99
            Await.until("three more datagrams dropped", () -> relay.sessionStats().datagramsDropped.sum() >= droppedBefore + 3);
            assertEquals(malformed + 2, relay.sessionStats().datagramsMalformed.sum(), "the two truncated ones");

            // The session goes on: the next datagram and the next stream both arrive, nothing else did.
            send(raw, body(0, 9, 9, "still-here"));
            assertEquals("9:0:still-here", r.frames().next());
            on(pub, () -> {
                Group g = t.createGroup(10);
                g.append(Unpooled.copiedBuffer("ten", StandardCharsets.UTF_8));
                g.finish();
                return null;
            });
            assertEquals("10:0:ten", r.frames().next());
            assertNotNull(relay.origin().get(path), "the publisher's session is still up");
            assertTrue(r.frames().frames.isEmpty(), "no duplicate of group 5 or 6, nothing of 7 or 8: " + r.frames().frames);
        }
    }
}
