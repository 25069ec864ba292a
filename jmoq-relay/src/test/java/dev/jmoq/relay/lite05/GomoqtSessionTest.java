package dev.jmoq.relay.lite05;

import dev.jmoq.testkit.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.wire.lite.Announce;
import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.Frame;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamDecoder;
import dev.jmoq.wire.lite.LiteCodec;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteDataType;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.SubscribeOk;
import dev.jmoq.wire.lite.SubscribeResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * gomoqt (v0.16.1, moq-lite-04) through the relay at session level, with gomoqt's own bytes
 * ({@code jmoq-wire/src/test/resources/vectors/lite04-gomoqt-0.16.1.json}) played by a bare raw-QUIC peer
 * (docs/interop-gomoqt.md): the relay asks it for announcements with the prefix {@code /} (any other form
 * panics gomoqt), takes its {@code alice} announcement as the broadcast jmoq clients call {@code alice},
 * subscribes upstream with the slashed path {@code /alice} byte for byte as gomoqt itself does, and serves a
 * gomoqt subscriber's SUBSCRIBE for {@code /alice} from a broadcast a jmoq client published as {@code alice}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GomoqtSessionTest {
    private static final LiteVersion V = LiteVersion.DRAFT_04;
    private static final int MAX = 64 << 10;
    private RelayServer relay;
    private MoqClient client;
    private Map<String, String> vectors;

    @BeforeAll
    void start() throws Exception {
        String json = Files.readString(Path.of("..", "jmoq-wire", "src", "test", "resources", "vectors",
                "lite04-gomoqt-0.16.1.json"));
        vectors = new HashMap<>();
        Matcher m = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(json);
        while (m.find()) {
            vectors.put(m.group(1), m.group(2));
        }
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
        client = MoqClient.builder().insecure(true).threads(2).build();
    }

    @AfterAll
    void stop() {
        client.close();
        relay.close();
    }

    private ByteBuf vector(String name) {
        String hex = vectors.get(name);
        assertNotNull(hex, name);
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }

    private RawPeer gomoqt() throws Exception {
        ClientOptions options = new ClientOptions(client.eventLoops(), List.of("moq-lite-04"), true, List.of(), 10_000);
        MoqConnection c = QuicClient.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/"), options)
                .get(15, TimeUnit.SECONDS);
        assertEquals("moq-lite-04", c.protocol());
        return new RawPeer(c);
    }

    private static void write(RawPeer peer, RawPeer.Incoming on, ByteBuf bytes) {
        dev.jmoq.transport.BidiStream s = (dev.jmoq.transport.BidiStream) on.stream;
        peer.connection.eventLoop().execute(() -> {
            s.write(bytes);
            s.flush();
        });
    }

    /** The relay's announce request, checked to be the form gomoqt accepts. */
    private RawPeer.Incoming announceRequest(RawPeer peer) throws Exception {
        RawPeer.Incoming req = RawPeer.next(peer.bidiStreams, "the relay's ANNOUNCE_PLEASE");
        ByteBuf b = req.awaitBytes(4);
        try {
            assertEquals(LiteControlType.ANNOUNCE, LiteControlType.tryRead(b, V));
            AnnouncePlease please = LiteCodec.tryRead(b, V, AnnouncePlease.DECODER, MAX);
            assertNotNull(please);
            assertEquals("/", please.prefix(), "gomoqt panics on any prefix but / or /x/");
            assertEquals(relay.originId(), please.excludeHop());
        } finally {
            b.release();
        }
        return req;
    }

    @Test
    void gomoqtPublisherIsSubscribedWithItsSlashedPath() throws Exception {
        RawPeer gomoqt = gomoqt();
        ClientSession viewer = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        try {
            RawPeer.Incoming announces = announceRequest(gomoqt);
            write(gomoqt, announces, vector("announce_active")); // gomoqt: "alice" under "/"
            Await.until("relay.origin().get('alice') == null to end", () -> !(relay.origin().get("alice") == null));
            assertNotNull(relay.origin().get("alice"), "gomoqt's /alice is jmoq's alice");
            assertSame(relay.origin().get("alice"), relay.origin().get("/alice"), "one broadcast, both spellings");

            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            CompletableFuture<Long> ended = new CompletableFuture<>();
            Track t = viewer.subscribe("alice", "video");
            viewer.executor().execute(() -> TrackReader.ofSubscription(t, viewer.executor(), new TrackReader.Handler() {
                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    frames.add(sequence + ":" + index + ":" + frame.toString(StandardCharsets.UTF_8));
                }

                @Override
                public void onEnd(long code) {
                    ended.complete(code);
                }
            }).start());

            // The relay's SUBSCRIBE upstream is gomoqt's own SUBSCRIBE for /alice, but for the id.
            RawPeer.Incoming sub = RawPeer.next(gomoqt.bidiStreams, "the relay's upstream SUBSCRIBE");
            String expected = vectors.get("subscribe");
            ByteBuf got = sub.awaitBytes(expected.length() / 2);
            String hex = ByteBufUtil.hexDump(got);
            got.release();
            // Byte 16 is the priority: the downstream subscriber's (a default one: 128 on the model's scale,
            // 127 on moq-lite's), where gomoqt's own SUBSCRIBE says 0.
            assertEquals("062f616c69636505766964656f00", expected.substring(6, 34), "the vector: /alice, video, priority 0");
            assertEquals(expected.substring(0, 4) + "00" + expected.substring(6, 32) + "7f" + expected.substring(34), hex,
                    "SUBSCRIBE id 0, broadcast /alice, track video, priority 127, other fields default");

            write(gomoqt, sub, vector("subscribe_ok"));
            // gomoqt's group stream for subscription 1; ours is subscription 0.
            String group = vectors.get("group_stream");
            gomoqt.sendUni(Unpooled.wrappedBuffer(HexFormat.of().parseHex(group.substring(0, 4) + "00" + group.substring(6))));
            assertEquals("1:0:hello", frames.poll(15, TimeUnit.SECONDS));
            assertEquals("1:1:", frames.poll(15, TimeUnit.SECONDS));
        } finally {
            viewer.close();
            gomoqt.connection.close(0, "done");
        }
    }

    @Test
    void gomoqtSubscriberFindsAJmoqBroadcastByItsSlashedPath() throws Exception {
        ClientSession pub = client.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        RawPeer gomoqt = gomoqt();
        try {
            Broadcast b = pub.publish("alice");
            CompletableFuture<Track> tf = new CompletableFuture<>();
            pub.executor().execute(() -> tf.complete(b.createTrack("video")));
            Track track = tf.get(10, TimeUnit.SECONDS);
            Await.until("relay.origin().get('alice') == null to end", () -> !(relay.origin().get("alice") == null));
            announceRequest(gomoqt);

            // gomoqt's AcceptAnnounce("/"): the relay announces alice, which gomoqt reads as "/" + "alice".
            RawPeer.Incoming announces = gomoqt.request(vector("announce_interest_root"), false);
            ByteBuf ab = announces.awaitBytes(8);
            Announce a = LiteCodec.tryRead(ab, V, Announce.DECODER, MAX);
            ab.release();
            assertNotNull(a);
            assertEquals(new Announce(true, "alice", a.hops()), a);
            assertEquals(relay.originId(), (long) a.hops().get(a.hops().size() - 1), "the relay on the hop chain");

            RawPeer.Incoming sub = gomoqt.request(vector("subscribe"), false); // SUBSCRIBE id 1 for /alice
            Await.until("track.subscriberCount() == 0 to end", () -> !(track.subscriberCount() == 0));
            ByteBuf ok = sub.awaitBytes(2);
            SubscribeResponse r = LiteCodec.tryRead(ok, V, SubscribeResponse.DECODER, MAX);
            ok.release();
            assertEquals(SubscribeOk.class, r.getClass(), "gomoqt reads SUBSCRIBE_OK (type 0) then the 04 body");
            pub.executor().execute(() -> {
                Group g = track.createGroup(1);
                g.append(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
                g.finish();
            });
            RawPeer.Incoming gs = RawPeer.next(gomoqt.uniStreams, "group stream");
            assertEquals(-1L, gs.awaitEnd());
            ByteBuf bytes = gs.bytes();
            assertEquals(LiteDataType.GROUP, LiteDataType.tryRead(bytes, V));
            try (GroupStreamDecoder d = GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, V, MAX)) {
                d.feed(bytes);
                assertEquals(new GroupHeader(1, 1), d.readHeader());
                Frame f = d.readFrame();
                assertEquals("hello", f.payload().toString(StandardCharsets.UTF_8));
                f.release();
                d.finish();
            }
        } finally {
            gomoqt.connection.close(0, "done");
            pub.close();
        }
    }
}
