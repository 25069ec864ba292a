package dev.jmoq.relay.ietf;

import static dev.jmoq.relay.ietf.IetfRelayTest.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.testkit.Await;
import dev.jmoq.wire.ietf.ClientSetup;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectDatagram;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.Publish;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SetupOption;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OBJECT_DATAGRAM through the relay (draft-ietf-moq-transport-14..20, "Object Datagram"): a Java IETF
 * publisher whose groups are marked as datagram groups sends their objects as datagrams; the relay keeps
 * them as datagram groups, an IETF subscriber receives them as datagrams (object ids with gaps kept,
 * payloads byte for byte), and a moq-lite-05 subscriber of the same track receives the same payloads on
 * ordinary group streams. An object too large for a datagram goes on a stream. Malformed datagrams are
 * counted and dropped while the session goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfDatagramTest {
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    /** A subscription whose frames are collected, with the subscriber's own track (to read the model). */
    private record Reading(Track track, IetfRelayTest.Collector frames) {
    }

    private static Reading read(ClientSession s, String broadcast, String track) {
        IetfRelayTest.Collector c = new IetfRelayTest.Collector();
        Track t = s.subscribe(broadcast, track);
        s.executor().execute(() -> TrackReader.ofSubscription(t, s.executor(), c).start());
        return new Reading(t, c);
    }

    private static String payload(int g, int o, int size) {
        String head = "g" + g + "o" + o + "-";
        return head + "x".repeat(Math.max(0, size - head.length()));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"moq-00,moqt", "moqt-20,moqt", "moq-00,https", "moqt-20,https", "moqt-16,moqt", "moqt-18,https"})
    void datagramGroupsReachIetfSubscribersAsDatagramsAndMoqLiteSubscribersAsStreams(String protocol, String scheme)
            throws Exception {
        String path = "dgram/" + protocol + "/" + scheme;
        URI url = URI.create(scheme + "://127.0.0.1:" + relay.port() + "/");
        URI quic = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
                MoqClient lite = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moq-lite-05")).build();
                ClientSession pub = c.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession sub = c.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession liteSub = lite.connect(quic).get(15, TimeUnit.SECONDS)) {
            Track t = pub.publishTrack(path, "video").get(15, TimeUnit.SECONDS);
            Await.until("the relay holds the published track", () -> relay.origin().get(path) != null);
            Track relayed = relay.origin().get(path).track("video");
            Reading ietf = read(sub, path, "video");
            Reading moqLite = read(liteSub, path, "video");
            Await.until("both subscribers reached the track", () -> relayed.subscriberCount() >= 2);
            long datagramsIn = relay.sessionStats().datagramsIn.sum();
            long datagramsOut = relay.egressStats().datagramsOut.sum();
            for (int g = 0; g < 3; g++) {
                int group = g;
                on(pub, () -> {
                    Group created = t.createGroup(group);
                    created.markDatagram();
                    for (int o = 0; o < 5; o++) {
                        // ids 0, 2, 4, 6, 8: the gaps must survive; sizes up to 1000 bytes still fit a datagram
                        created.append(2L * o, Group.NO_TIMESTAMP, null, ObjectStatus.NORMAL,
                                Unpooled.copiedBuffer(payload(group, o, 200 * o), StandardCharsets.UTF_8), true);
                    }
                    created.finish();
                    return null;
                });
                for (int o = 0; o < 5; o++) {
                    assertEquals(g + ":" + o + ":" + payload(g, o, 200 * o), ietf.frames().next(), "IETF subscriber");
                    assertEquals(g + ":" + o + ":" + payload(g, o, 200 * o), moqLite.frames().next(), "moq-lite subscriber");
                }
            }
            assertTrue(relay.sessionStats().datagramsIn.sum() - datagramsIn >= 15, "the relay received datagrams");
            assertTrue(relay.egressStats().datagramsOut.sum() - datagramsOut >= 15, "the relay sent datagrams");
            for (long g = 0; g < 3; g++) {
                long seq = g;
                Group atRelay = relayed.bySequence(g);
                assertNotNull(atRelay, "relay group " + g);
                assertTrue(atRelay.isDatagram(), "the relay keeps the group's forwarding preference");
                Group ietfGroup = on(sub, () -> ietf.track().bySequence(seq));
                assertNotNull(ietfGroup);
                assertTrue(ietfGroup.isDatagram(), "the IETF subscriber received datagrams");
                for (int o = 0; o < 5; o++) {
                    assertEquals(2L * o, ietfGroup.objectId(o), "object ids kept");
                }
                Group liteGroup = on(liteSub, () -> moqLite.track().bySequence(seq));
                assertNotNull(liteGroup);
                assertFalse(liteGroup.isDatagram(), "moq-lite received a group stream");
            }
            // Ended by END_OF_GROUP (the group had finished when its last object left), not by the idle timeout.
            Await.until("the relay's datagram groups ended", () -> !relayed.bySequence(2).isOpen());
        }
    }

    /**
     * WebSocket on qmux-01/02 (what the Java client prefers) carries DATAGRAM frames (draft-ietf-quic-qmux,
     * "Unreliable Datagram Extension"): an IETF subscriber there receives OBJECT_DATAGRAMs too.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-20"})
    void anIetfSubscriberOverWebSocketReceivesObjectDatagrams(String protocol) throws Exception {
        String path = "dgram-ws/" + protocol;
        URI quic = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        URI ws = URI.create("ws://127.0.0.1:" + relay.port() + "/");
        try (MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
                ClientSession pub = c.connect(quic).get(15, TimeUnit.SECONDS);
                ClientSession sub = c.connect(ws).get(15, TimeUnit.SECONDS)) {
            Track t = pub.publishTrack(path, "video").get(15, TimeUnit.SECONDS);
            Await.until("the relay holds the published track", () -> relay.origin().get(path) != null);
            Track relayed = relay.origin().get(path).track("video");
            Reading ietf = read(sub, path, "video");
            Await.until("the subscriber reached the track", () -> relayed.subscriberCount() >= 1);
            long datagramsOut = relay.egressStats().datagramsOut.sum();
            on(pub, () -> {
                Group created = t.createGroup(0);
                created.markDatagram();
                for (int o = 0; o < 3; o++) {
                    created.append(3L * o, Group.NO_TIMESTAMP, null, ObjectStatus.NORMAL,
                            Unpooled.copiedBuffer(payload(0, o, 100), StandardCharsets.UTF_8), true);
                }
                created.finish();
                return null;
            });
            for (int o = 0; o < 3; o++) {
                assertEquals("0:" + o + ":" + payload(0, o, 100), ietf.frames().next());
            }
            assertTrue(relayed.bySequence(0).isDatagram(), "the relay received datagrams");
            Group got = on(sub, () -> ietf.track().bySequence(0));
            assertTrue(got.isDatagram(), "the WebSocket subscriber got OBJECT_DATAGRAMs in qmux DATAGRAM frames");
            assertEquals(6, got.objectId(2), "object ids kept");
            assertTrue(relay.egressStats().datagramsOut.sum() - datagramsOut >= 3, "the relay sent them as datagrams");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-20"})
    void anObjectTooLargeForADatagramGoesOnAStream(String protocol) throws Exception {
        String path = "dgram-large/" + protocol;
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
                ClientSession pub = c.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession sub = c.connect(url).get(15, TimeUnit.SECONDS)) {
            Track t = pub.publishTrack(path, "video").get(15, TimeUnit.SECONDS);
            Await.until("the relay holds the published track", () -> relay.origin().get(path) != null);
            Track relayed = relay.origin().get(path).track("video");
            Reading ietf = read(sub, path, "video");
            Await.until("the subscriber reached the track", () -> relayed.subscriberCount() >= 1);
            String big = payload(0, 0, 5000);
            on(pub, () -> {
                Group created = t.createGroup(0);
                created.markDatagram();
                created.append(Unpooled.copiedBuffer(big, StandardCharsets.UTF_8));
                created.append(Unpooled.copiedBuffer("small", StandardCharsets.UTF_8));
                created.finish();
                return null;
            });
            assertEquals("0:0:" + big, ietf.frames().next());
            assertEquals("0:1:small", ietf.frames().next());
            assertFalse(relayed.bySequence(0).isDatagram(), "the relay received the group on a stream");
        }
    }

    private static ByteBuf framed(IetfVersion v, IetfMessage m) {
        ByteBuf out = Unpooled.buffer();
        ControlCodec.write(out, m, v);
        return out;
    }

    private static ByteBuf datagram(IetfVersion v, ObjectDatagram d) {
        ByteBuf out = Unpooled.buffer();
        d.encode(out, v);
        return out;
    }

    /** A raw IETF publisher that sets up and PUBLISHes {@code namespace}/video under {@code alias}. */
    private static RawIetfFamily rawPublisher(String protocol, IetfVersion v, TrackNamespace namespace, long alias) {
        return new RawIetfFamily(protocol, s -> {
            IetfMessage publish = new Publish(0, namespace, Octets.utf8("video"), alias, Parameters.EMPTY, Octets.EMPTY);
            if (v.hasRequestStreams()) {
                s.uni(framed(v, new Setup(Parameters.EMPTY)));
                s.bidi(framed(v, publish));
            } else {
                ByteBuf out = framed(v, new ClientSetup(v.hasSetupVersions() ? List.of(v.code()) : List.of(),
                        Parameters.of(new Parameter.Int(SetupOption.MAX_REQUEST_ID, 100))));
                ByteBuf r = framed(v, publish);
                out.writeBytes(r);
                r.release();
                s.bidi(out);
            }
        });
    }

    private static void send(RawIetfFamily.RawSession pub, IetfVersion v, ObjectDatagram d) throws Exception {
        pub.connection.eventLoop().submit(() -> pub.connection.sendDatagram(datagram(v, d))).get(5, TimeUnit.SECONDS);
    }

    /**
     * Datagrams have no FIN: a datagram group ends with a datagram marked END_OF_GROUP, a status datagram
     * End of Group, the first datagram of a newer group, or {@code IetfDatagrams.IDLE_MILLIS} without one.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-20"})
    void datagramGroupsEndByMarkerStatusNewerGroupOrIdleness(String protocol) throws Exception {
        IetfVersion v = protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
        String path = "dgram-end/" + protocol;
        long alias = 4;
        RawIetfFamily pubFamily = rawPublisher(protocol, v, TrackNamespace.of("dgram-end", protocol), alias);
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                .sessionFactory(new SessionFactory(List.of(pubFamily))).build()) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("the PUBLISH reached the relay", () -> relay.origin().get(path) != null);
            Track relayed = relay.origin().get(path).track("video");
            RawIetfFamily.RawSession pub = pubFamily.session.get();
            // Group 0 ends with END_OF_GROUP on its object.
            send(pub, v, new ObjectDatagram(alias, 0, 0, 128, true, null, 0, Unpooled.copiedBuffer("a", StandardCharsets.UTF_8)));
            Await.until("group 0 ended by its marker", () -> relayed.bySequence(0) != null && !relayed.bySequence(0).isOpen());
            // Group 1 ends with a status datagram End of Group.
            send(pub, v, new ObjectDatagram(alias, 1, 0, 128, false, null, 0, Unpooled.copiedBuffer("b", StandardCharsets.UTF_8)));
            send(pub, v, new ObjectDatagram(alias, 1, 1, 128, false, null, ObjectStatus.END_OF_GROUP, null));
            Await.until("group 1 ended by a status datagram", () -> relayed.bySequence(1) != null && !relayed.bySequence(1).isOpen());
            // Group 2 is ended by group 3's first datagram; group 3 by idleness.
            send(pub, v, new ObjectDatagram(alias, 2, 0, 128, false, null, 0, Unpooled.copiedBuffer("c", StandardCharsets.UTF_8)));
            Await.until("group 2 exists", () -> relayed.bySequence(2) != null);
            send(pub, v, new ObjectDatagram(alias, 3, 5, 128, false, null, 0, Unpooled.copiedBuffer("d", StandardCharsets.UTF_8)));
            Await.until("group 2 ended by group 3", () -> relayed.bySequence(3) != null && !relayed.bySequence(2).isOpen());
            Await.until("group 3 ended by idleness", () -> !relayed.bySequence(3).isOpen());
            assertEquals(1, relayed.bySequence(3).frameCount());
            assertEquals(5, relayed.bySequence(3).objectId(0));
            pub.release();
        }
    }

    /** Drafts 14-20 ("Datagrams"): an unknown datagram type MUST close the session. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-16", "moqt-20"})
    void anUnknownDatagramTypeClosesTheSessionWithProtocolViolation(String protocol) throws Exception {
        IetfVersion v = protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
        String path = "dgram-type/" + protocol;
        RawIetfFamily pubFamily = rawPublisher(protocol, v, TrackNamespace.of("dgram-type", protocol), 2);
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                .sessionFactory(new SessionFactory(List.of(pubFamily))).build()) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("the PUBLISH reached the relay", () -> relay.origin().get(path) != null);
            RawIetfFamily.RawSession pub = pubFamily.session.get();
            pub.connection.eventLoop().submit(() -> pub.connection.sendDatagram(
                    Unpooled.wrappedBuffer(new byte[] {0x3f, 0x02, 0x00}))).get(5, TimeUnit.SECONDS);
            assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), pub.closed.get(15, TimeUnit.SECONDS));
            pub.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-20"})
    void malformedDatagramsAreCountedAndDroppedAndTheSessionGoesOn(String protocol) throws Exception {
        IetfVersion v = protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
        String path = "dgram-bad/" + protocol;
        long alias = 9;
        RawIetfFamily pubFamily = rawPublisher(protocol, v, TrackNamespace.of("dgram-bad", protocol), alias);
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                        .sessionFactory(new SessionFactory(List.of(pubFamily))).build();
                MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
                ClientSession sub = c.connect(url).get(15, TimeUnit.SECONDS)) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("the PUBLISH reached the relay", () -> relay.origin().get(path) != null);
            Track relayed = relay.origin().get(path).track("video");
            Reading ietf = read(sub, path, "video");
            Await.until("the subscriber reached the track", () -> relayed.subscriberCount() >= 1);
            RawIetfFamily.RawSession pub = pubFamily.session.get();
            long malformed = relay.sessionStats().datagramsMalformed.sum();
            long dropped = relay.sessionStats().datagramsDropped.sum();
            pub.connection.eventLoop().submit(() -> {
                pub.connection.sendDatagram(Unpooled.wrappedBuffer(new byte[] {0x01, 0x09, 0x00, 0x00, (byte) 0x80, 0x05}));
                pub.connection.sendDatagram(Unpooled.wrappedBuffer(new byte[] {0x00, 0x09})); // truncated: no group id
                pub.connection.sendDatagram(Unpooled.wrappedBuffer(new byte[] {0x21, 0x09, 0x00, 0x00, (byte) 0x80}));
                // an unknown alias: well-formed, dropped
                pub.connection.sendDatagram(datagram(v, new ObjectDatagram(alias + 1, 0, 0, 128, false, null,
                        0, Unpooled.wrappedBuffer(new byte[] {1}))));
            }).get(5, TimeUnit.SECONDS);
            Await.until("three malformed datagrams counted", () -> relay.sessionStats().datagramsMalformed.sum() - malformed >= 3);
            Await.until("four datagrams dropped", () -> relay.sessionStats().datagramsDropped.sum() - dropped >= 4);
            // The session goes on: a good datagram still arrives.
            pub.connection.eventLoop().submit(() -> pub.connection.sendDatagram(datagram(v, new ObjectDatagram(alias, 0, 3,
                    128, true, null, 0, Unpooled.copiedBuffer("after", StandardCharsets.UTF_8))))).get(5, TimeUnit.SECONDS);
            assertEquals("0:0:after", ietf.frames().next());
            assertTrue(pub.connection.isOpen(), "the publisher's session is open");
            Group g = on(sub, () -> ietf.track().bySequence(0));
            assertEquals(3, g.objectId(0), "object id kept");
            pub.release();
        }
    }
}
