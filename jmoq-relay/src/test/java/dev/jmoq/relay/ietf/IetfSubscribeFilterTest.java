package dev.jmoq.relay.ietf;

import static dev.jmoq.relay.ietf.IetfRelayTest.on;
import static dev.jmoq.relay.ietf.IetfRelayTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.testkit.Await;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfObject;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Location;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.PublishDone;
import dev.jmoq.wire.ietf.PublishDoneCode;
import dev.jmoq.wire.ietf.RequestError;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.RequestUpdate;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SubgroupStreamDecoder;
import dev.jmoq.wire.ietf.Subscribe;
import dev.jmoq.wire.ietf.SubscribeOk;
import dev.jmoq.wire.ietf.SubscriptionFilter;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The subscription filters of draft-ietf-moq-transport-18 (5.1.2) applied by the relay to a track it has
 * cached: a raw draft-18 subscriber SUBSCRIBEs with AbsoluteRange, AbsoluteStart, Next Group Start and
 * Largest Object, and the subgroup streams it receives carry exactly the groups the filter passes; an
 * AbsoluteRange ends with PUBLISH_DONE SUBSCRIPTION_ENDED once its end group was sent. REQUEST_UPDATE
 * is answered with REQUEST_OK and applied: FORWARD 0 lets groups go unsent, a lower end group ends the
 * subscription there. A SUBSCRIBE with RENDEZVOUS_TIMEOUT for a track nobody publishes yet waits for its
 * publisher (SUBSCRIBE_OK once the track is PUBLISHed), or ends with REQUEST_ERROR TIMEOUT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfSubscribeFilterTest {
    private static final IetfVersion V = IetfVersion.DRAFT_18;
    private RelayServer relay;
    private MoqClient client;
    private URI url;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
        client = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18")).build();
        url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
    }

    @AfterAll
    void stop() {
        client.close();
        relay.close();
    }

    private static ByteBuf framed(IetfMessage m) {
        return RawIetfFamily.framed(m, V);
    }

    /** A publisher of {@code path}/video whose groups 0..n-1 (one object "g{N}" each) the relay has cached. */
    private record Cached(ClientSession pub, ClientSession watcher, Track track, IetfRelayTest.Collector seen)
            implements AutoCloseable {
        void group(long g) throws Exception {
            on(pub, () -> {
                Group created = track.createGroup(g);
                created.append(Unpooled.copiedBuffer("g" + g, StandardCharsets.UTF_8));
                created.finish();
                return null;
            });
        }

        @Override
        public void close() {
            watcher.close();
            pub.close();
        }
    }

    private Cached cached(String path, int groups) throws Exception {
        ClientSession pub = client.connect(url).get(15, TimeUnit.SECONDS);
        Track t = on(pub, () -> pub.publish(path).createTrack("video"));
        Await.until(path + " announced", () -> relay.origin().get(path) != null);
        ClientSession watcher = client.connect(url).get(15, TimeUnit.SECONDS);
        IetfRelayTest.Collector c = read(watcher, path, "video");
        Await.until("the relay's SUBSCRIBE at the publisher", () -> t.subscriberCount() > 0);
        Cached cached = new Cached(pub, watcher, t, c);
        for (int g = 0; g < groups; g++) {
            cached.group(g);
            assertEquals(g + ":0:g" + g, c.next()); // through the relay: it holds the group now
        }
        return cached;
    }

    /** A raw draft-18 session that sends one SUBSCRIBE for {@code path}/video with {@code filter}. */
    private RawIetfFamily.RawSession subscribe(String path, SubscriptionFilter filter, MoqClient[] holder)
            throws Exception {
        return subscribe(path, Parameters.of(new Parameter.Filter(MessageParameter.LOCATION_FILTER, filter)), holder);
    }

    private RawIetfFamily.RawSession subscribe(String path, Parameters params, MoqClient[] holder) throws Exception {
        RawIetfFamily raw = new RawIetfFamily("moqt-18", s -> {
            s.uni(framed(new Setup(Parameters.EMPTY)));
            s.bidi(framed(new Subscribe(0, TrackNamespace.of(path), Octets.utf8("video"), params)));
        });
        holder[0] = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18"))
                .sessionFactory(new SessionFactory(List.of(raw))).build();
        holder[0].connect(url).get(15, TimeUnit.SECONDS);
        return raw.session.get(15, TimeUnit.SECONDS);
    }

    /** The control messages on the raw session's request stream so far. */
    private static List<IetfMessage> replies(RawIetfFamily.RawSession s) throws ProtocolException {
        List<IetfMessage> out = new ArrayList<>();
        if (s.bidiReplies.isEmpty()) {
            return out;
        }
        ByteBuf reply = s.bidiReply(0);
        try {
            IetfMessage m;
            while ((m = ControlCodec.tryRead(reply, V, 1 << 16)) != null) {
                out.add(m);
            }
        } finally {
            reply.release();
        }
        return out;
    }

    private static List<IetfMessage> awaitReplies(RawIetfFamily.RawSession s, int n) {
        Await.until(n + " messages on the request stream", () -> {
            try {
                return replies(s).size() >= n;
            } catch (ProtocolException e) {
                throw new AssertionError(e);
            }
        });
        try {
            return replies(s);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    /** The next subgroup stream's group id and its objects' payloads, e.g. {@code 3:[g3]}. */
    private static String nextGroup(RawIetfFamily.RawSession s) throws Exception {
        ByteBuf stream = s.uniStreams.poll(15, TimeUnit.SECONDS);
        assertNotNull(stream, "a subgroup stream within 15 s");
        try (SubgroupStreamDecoder d = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, V, 1 << 20)) {
            d.feed(stream);
            assertNotNull(d.readHeader(), "a whole SUBGROUP_HEADER");
            List<String> payloads = new ArrayList<>();
            IetfObject o;
            while ((o = d.readObject()) != null) {
                payloads.add(o.payload().toString(StandardCharsets.UTF_8));
                o.payload().release();
                if (o.properties() != null) {
                    o.properties().release();
                }
            }
            d.finish();
            return d.readHeader().groupId() + ":" + payloads;
        }
    }

    @Test
    void absoluteRangeSendsItsGroupsFromTheCacheThenPublishDone() throws Exception {
        MoqClient[] raw = new MoqClient[1];
        try (Cached c = cached("range", 5)) {
            RawIetfFamily.RawSession s = subscribe("range",
                    SubscriptionFilter.absoluteRange(new Location(1, 0), 3), raw);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(nextGroup(s));
            }
            got.sort(null); // one stream per group: any order
            assertEquals(List.of("1:[g1]", "2:[g2]", "3:[g3]"), got);
            List<IetfMessage> replies = awaitReplies(s, 2);
            assertInstanceOf(SubscribeOk.class, replies.get(0));
            PublishDone done = assertInstanceOf(PublishDone.class, replies.get(1));
            assertEquals(PublishDoneCode.SUBSCRIPTION_ENDED.code(V), done.statusCode());
            s.release();
        } finally {
            if (raw[0] != null) {
                raw[0].close();
            }
        }
    }

    @Test
    void absoluteStartSendsTheCachedGroupsFromItThenWhatArrives() throws Exception {
        MoqClient[] raw = new MoqClient[1];
        try (Cached c = cached("start-at", 5)) {
            RawIetfFamily.RawSession s = subscribe("start-at", SubscriptionFilter.absoluteStart(new Location(3, 0)), raw);
            List<String> got = new ArrayList<>(List.of(nextGroup(s), nextGroup(s)));
            got.sort(null);
            assertEquals(List.of("3:[g3]", "4:[g4]"), got);
            c.group(5);
            assertEquals("5:[g5]", nextGroup(s));
            s.release();
        } finally {
            if (raw[0] != null) {
                raw[0].close();
            }
        }
    }

    @Test
    void nextGroupStartSkipsTheLargestGroupAndLargestObjectSendsIt() throws Exception {
        MoqClient[] next = new MoqClient[1];
        MoqClient[] largest = new MoqClient[1];
        try (Cached c = cached("next", 3)) {
            RawIetfFamily.RawSession n = subscribe("next", SubscriptionFilter.NEXT_GROUP_START, next);
            RawIetfFamily.RawSession l = subscribe("next", SubscriptionFilter.LARGEST_OBJECT, largest);
            awaitReplies(n, 1);
            assertInstanceOf(SubscribeOk.class, awaitReplies(l, 1).get(0));
            // Largest Object: the largest group (2) whole, at once; Next Group Start: nothing before group 3.
            assertEquals("2:[g2]", nextGroup(l));
            c.group(3);
            assertEquals("3:[g3]", nextGroup(n));
            assertEquals("3:[g3]", nextGroup(l));
            n.release();
            l.release();
        } finally {
            for (MoqClient m : new MoqClient[] {next[0], largest[0]}) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }

    @Test
    void requestUpdateSetsForwardAndLowersTheEndGroup() throws Exception {
        MoqClient[] raw = new MoqClient[1];
        try (Cached c = cached("update", 2)) {
            RawIetfFamily.RawSession s = subscribe("update", SubscriptionFilter.NEXT_GROUP_START, raw);
            assertInstanceOf(SubscribeOk.class, awaitReplies(s, 1).get(0));
            // FORWARD 0: group 2 reaches the relay (the watcher has it) and is not sent to this subscriber.
            s.write(0, framed(new RequestUpdate(2, 0, Parameters.of(new Parameter.Int(MessageParameter.FORWARD, 0)))));
            assertInstanceOf(RequestOk.class, awaitReplies(s, 2).get(1));
            c.group(2);
            assertEquals("2:0:g2", c.seen().next());
            // FORWARD 1 and an end at group 4: groups 3 and 4, then PUBLISH_DONE SUBSCRIPTION_ENDED.
            s.write(0, framed(new RequestUpdate(4, 0, Parameters.of(new Parameter.Int(MessageParameter.FORWARD, 1),
                    new Parameter.Filter(MessageParameter.LOCATION_FILTER,
                            SubscriptionFilter.absoluteRange(new Location(3, 0), 4))))));
            assertInstanceOf(RequestOk.class, awaitReplies(s, 3).get(2));
            c.group(3);
            c.group(4);
            List<String> got = new ArrayList<>(List.of(nextGroup(s), nextGroup(s)));
            got.sort(null);
            assertEquals(List.of("3:[g3]", "4:[g4]"), got, "group 2 was let go while FORWARD was 0");
            PublishDone done = assertInstanceOf(PublishDone.class, awaitReplies(s, 4).get(3));
            assertEquals(PublishDoneCode.SUBSCRIPTION_ENDED.code(V), done.statusCode());
            s.release();
        } finally {
            if (raw[0] != null) {
                raw[0].close();
            }
        }
    }

    @Test
    void aSubscribeWithRendezvousTimeoutWaitsForThePublisher() throws Exception {
        MoqClient[] raw = new MoqClient[1];
        try (ClientSession pub = client.connect(url).get(15, TimeUnit.SECONDS)) {
            RawIetfFamily.RawSession s = subscribe("rendezvous",
                    Parameters.of(new Parameter.Int(MessageParameter.RENDEZVOUS_TIMEOUT, 20_000)), raw);
            Await.until("the SUBSCRIBE held at the relay", () -> relay.sessionStats().subscribesHeld.sum() > 0);
            Track t = pub.publishTrack("rendezvous", "video").get(15, TimeUnit.SECONDS);
            assertInstanceOf(SubscribeOk.class, awaitReplies(s, 1).get(0));
            on(pub, () -> {
                Group g = t.createGroup(0);
                g.append(Unpooled.copiedBuffer("g0", StandardCharsets.UTF_8));
                g.finish();
                return null;
            });
            assertEquals("0:[g0]", nextGroup(s));
            s.release();
        } finally {
            if (raw[0] != null) {
                raw[0].close();
            }
        }
    }

    @Test
    void aRendezvousTimeoutWithoutPublisherEndsWithTimeout() throws Exception {
        MoqClient[] raw = new MoqClient[1];
        try {
            RawIetfFamily.RawSession s = subscribe("nobody-here",
                    Parameters.of(new Parameter.Int(MessageParameter.RENDEZVOUS_TIMEOUT, 100)), raw);
            RequestError e = assertInstanceOf(RequestError.class, awaitReplies(s, 1).get(0));
            assertEquals(RequestErrorCode.TIMEOUT.code(V), e.errorCode());
            s.release();
        } finally {
            if (raw[0] != null) {
                raw[0].close();
            }
        }
    }
}
