package dev.jmoq.relay.lite05;

import dev.jmoq.testkit.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.Fetch;
import dev.jmoq.wire.lite.Frame;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamDecoder;
import dev.jmoq.wire.lite.LiteCodec;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteDataType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.Setup;
import dev.jmoq.wire.lite.Subscribe;
import dev.jmoq.wire.lite.SubscribeEnd;
import dev.jmoq.wire.lite.SubscribeResponse;
import dev.jmoq.wire.lite.SubscribeStart;
import dev.jmoq.wire.lite.TrackInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A moq-lite-05 session against the relay, driven byte by byte from a bare raw-QUIC connection
 * (docs/wire-moq-lite.md, "moq-lite-05 session behaviour"): the SETUP streams, the relay's announce request
 * in gomoqt's slashed form, TRACK answered with the source's TRACK_INFO, SUBSCRIBE answered with
 * SUBSCRIBE_START, timestamped group streams and SUBSCRIBE_END, and FETCH of a cached group with the same
 * timestamps. The publisher is the Java client, itself on moq-lite-05, so the relay's upstream side
 * (TRACK and SUBSCRIBE upstream, recorded timestamps) is exercised too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Lite05SessionTest {
    private static final LiteVersion V = LiteVersion.DRAFT_05;
    private static final int MAX = 64 << 10;
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

    private RawPeer rawPeer() throws Exception {
        ClientOptions options = new ClientOptions(client.eventLoops(), List.of("moq-lite-05"), true, List.of(), 10_000);
        MoqConnection c = QuicClient.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/"), options)
                .get(15, TimeUnit.SECONDS);
        assertEquals("moq-lite-05", c.protocol());
        return new RawPeer(c);
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

    private static ByteBuf control(LiteControlType type, dev.jmoq.wire.lite.LiteMessage msg) {
        ByteBuf out = Unpooled.buffer();
        type.write(out);
        msg.encode(out, V);
        return out;
    }

    private static <M> M read(ByteBuf in, dev.jmoq.wire.lite.MessageDecoder<M> decoder) throws ProtocolException {
        M m = LiteCodec.tryRead(in, V, decoder, MAX);
        assertNotNull(m, "incomplete message");
        return m;
    }

    /** The frames of one received group stream (type, header, timestamped frames). */
    record GroupStream(long subscribe, long sequence, List<String> payloads, List<Long> timestamps) {
    }

    private static GroupStream readGroup(RawPeer.Incoming in) throws Exception {
        assertEquals(-1L, in.awaitEnd(), "group stream FIN");
        ByteBuf bytes = in.bytes();
        assertEquals(LiteDataType.GROUP, LiteDataType.tryRead(bytes, V));
        try (GroupStreamDecoder d = GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, V, MAX)) {
            d.feed(bytes);
            GroupHeader h = d.readHeader();
            List<String> payloads = new ArrayList<>();
            List<Long> stamps = new ArrayList<>();
            Frame f;
            while ((f = d.readFrame()) != null) {
                payloads.add(f.payload().toString(StandardCharsets.UTF_8));
                stamps.add(f.timestamp());
                f.release();
            }
            d.finish();
            return new GroupStream(h.subscribe(), h.sequence(), payloads, stamps);
        }
    }

    private void awaitAnnounced(String path) throws InterruptedException {
        Await.until("relay.origin().get(path) == null to end", () -> !(relay.origin().get(path) == null));
        assertNotNull(relay.origin().get(path), path + " never announced at the relay");
    }

    @Test
    void setupStreamsThenSlashedAnnounceRequest() throws Exception {
        RawPeer peer = rawPeer();
        try {
            ByteBuf setup = Unpooled.buffer();
            LiteDataType.SETUP.write(setup);
            Setup.of(Setup.PROBE_NONE, null, Setup.ROLE_BOTH, 4242).encode(setup, V);
            peer.sendUni(setup);
            RawPeer.Incoming theirs = RawPeer.next(peer.uniStreams, "relay SETUP stream");
            assertEquals(-1L, theirs.awaitEnd(), "one SETUP, then FIN");
            ByteBuf b = theirs.bytes();
            assertEquals(LiteDataType.SETUP, LiteDataType.tryRead(b, V));
            Setup s = read(b, Setup.DECODER);
            assertEquals(relay.originId(), s.origin(), "the relay's Origin is its hop id");
            assertEquals(null, s.path(), "a server never sends Path");
            b.release();
            // The relay asks for every broadcast, in the slashed form gomoqt requires.
            RawPeer.Incoming announce = RawPeer.next(peer.bidiStreams, "relay ANNOUNCE_PLEASE");
            ByteBuf a = announce.awaitBytes(3);
            assertEquals(LiteControlType.ANNOUNCE, LiteControlType.tryRead(a, V));
            AnnouncePlease please = read(a, AnnouncePlease.DECODER);
            assertEquals("/", please.prefix());
            assertEquals(relay.originId(), please.excludeHop());
            a.release();
        } finally {
            peer.connection.close(0, "done");
        }
    }

    @Test
    void trackSubscribeTimestampsEndAndFetch() throws Exception {
        ClientSession pub = client.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        assertEquals("moq-lite-05", pub.version());
        RawPeer peer = rawPeer();
        try {
            ByteBuf setup = Unpooled.buffer();
            LiteDataType.SETUP.write(setup);
            Setup.of(Setup.PROBE_NONE, null, Setup.ROLE_SUBSCRIBER, 0).encode(setup, V);
            peer.sendUni(setup);
            RawPeer.Incoming relaySetup = RawPeer.next(peer.uniStreams, "relay SETUP stream");
            ByteBuf rs = relaySetup.awaitBytes(1);
            assertEquals(LiteDataType.SETUP, LiteDataType.tryRead(rs, V), "the relay's first uni stream");
            rs.release();

            Broadcast b = pub.publish("room/alice");
            Track t = on(pub, () -> b.createTrack("video"));
            awaitAnnounced("room/alice");

            // TRACK in gomoqt's slashed form: the relay fetches the publisher's TRACK_INFO upstream.
            RawPeer.Incoming info = peer.request(control(LiteControlType.TRACK,
                    new dev.jmoq.wire.lite.Track("/room/alice", "video")), true);
            assertEquals(-1L, info.awaitEnd(), "TRACK_INFO then FIN");
            ByteBuf ib = info.bytes();
            assertEquals(new TrackInfo(0, false, 0, 1000), read(ib, TrackInfo.DECODER), "a Java publisher stamps in ms");
            ib.release();

            RawPeer.Incoming unknown = peer.request(control(LiteControlType.TRACK,
                    new dev.jmoq.wire.lite.Track("room/nobody", "video")), true);
            assertEquals(LiteErrorCode.NOT_FOUND, unknown.awaitEnd(), "an unknown broadcast is reset, never silence");

            RawPeer.Incoming sub = peer.request(control(LiteControlType.SUBSCRIBE,
                    Subscribe.basic(7, "room/alice", "video", 0)), false);
            Await.until("t.subscriberCount() == 0 to end", () -> !(t.subscriberCount() == 0));
            long before = System.currentTimeMillis();
            Map<Long, GroupStream> groups = new HashMap<>();
            for (int g = 0; g < 3; g++) {
                int seq = g;
                // One group at a time, each after the previous arrived: the order the relay sees is fixed.
                on(pub, () -> {
                    Group group = t.createGroup(seq);
                    for (int f = 0; f < 3; f++) {
                        group.append(Unpooled.copiedBuffer("g" + seq + "f" + f, StandardCharsets.UTF_8));
                    }
                    group.finish();
                    return null;
                });
                GroupStream gs = readGroup(RawPeer.next(peer.uniStreams, "group stream"));
                assertEquals(7, gs.subscribe());
                assertEquals(seq, gs.sequence());
                groups.put(gs.sequence(), gs);
            }
            long after = System.currentTimeMillis();
            for (long g = 0; g < 3; g++) {
                GroupStream gs = groups.get(g);
                assertEquals(List.of("g" + g + "f0", "g" + g + "f1", "g" + g + "f2"), gs.payloads());
                for (long ts : gs.timestamps()) {
                    assertTrue(ts >= before && ts <= after, "publisher write time in ms: " + ts);
                }
            }

            // FETCH of a cached group: the same frames with the same timestamps, no GROUP header.
            RawPeer.Incoming fetch = peer.request(control(LiteControlType.FETCH,
                    new Fetch("/room/alice", "video", 0, 1)), true);
            assertEquals(-1L, fetch.awaitEnd(), "fetch FIN");
            ByteBuf fb = fetch.bytes();
            try (GroupStreamDecoder d = GroupStreamDecoder.forFetchStream(ByteBufAllocator.DEFAULT, V, MAX)) {
                d.feed(fb);
                List<String> payloads = new ArrayList<>();
                List<Long> stamps = new ArrayList<>();
                Frame f;
                while ((f = d.readFrame()) != null) {
                    payloads.add(f.payload().toString(StandardCharsets.UTF_8));
                    stamps.add(f.timestamp());
                    f.release();
                }
                d.finish();
                assertEquals(groups.get(1L).payloads(), payloads);
                assertEquals(groups.get(1L).timestamps(), stamps, "the source's timestamps, kept through the cache");
            }
            RawPeer.Incoming missing = peer.request(control(LiteControlType.FETCH,
                    new Fetch("room/alice", "video", 0, 99)), true);
            assertEquals(LiteErrorCode.NOT_FOUND, missing.awaitEnd());

            // The track ends: SUBSCRIBE_START(0) came first, then SUBSCRIBE_END past the last group, FIN.
            on(pub, () -> {
                t.close();
                return null;
            });
            assertEquals(-1L, sub.awaitEnd(), "subscribe stream FIN after SUBSCRIBE_END");
            ByteBuf rb = sub.bytes();
            assertEquals(new SubscribeStart(0), read(rb, SubscribeResponse.DECODER));
            assertEquals(new SubscribeEnd(3), read(rb, SubscribeResponse.DECODER));
            assertNotEquals(true, rb.isReadable(), "nothing after SUBSCRIBE_END");
            rb.release();
        } finally {
            peer.connection.close(0, "done");
            pub.close();
        }
    }
}
