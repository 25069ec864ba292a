package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;
import static dev.jmoq.relay.ietf.IetfRelayTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.wire.ietf.ClientSetup;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.Fetch;
import dev.jmoq.wire.ietf.FetchEntry;
import dev.jmoq.wire.ietf.FetchStreamDecoder;
import dev.jmoq.wire.ietf.IetfObject;
import dev.jmoq.wire.ietf.Location;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.Publish;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SetupOption;
import dev.jmoq.wire.ietf.Subscribe;
import dev.jmoq.wire.ietf.SubgroupHeader;
import dev.jmoq.wire.ietf.SubgroupStreamDecoder;
import dev.jmoq.wire.ietf.SubgroupStreamEncoder;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What IETF objects carry besides their payload, through the relay (draft-ietf-moq-transport-14..20,
 * "Subgroup Header" and the object fields): an IETF publisher's subgroup streams with object ids 0, 2, 5
 * (gaps), extension headers on some objects and an End of Group status object reach an IETF subscriber
 * byte for byte (only the track alias is the subscriber's own), a group without extension headers keeps
 * the header type without them, a moq-lite subscriber of the same track gets the payloads only, and a
 * FETCH of the cached groups (drafts 14-18) returns the objects with their ids and extension headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfObjectExtrasTest {
    private static final long ALIAS = 7;
    /** An even-type extension (varint value) and an odd-type one (length and bytes): opaque to the relay. */
    private static final byte[] EXT_A = {0x02, 0x05};
    private static final byte[] EXT_B = {0x0b, 0x03, 'a', 'b', 'c', 0x0c, 0x09};

    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private static IetfVersion version(String protocol) {
        return protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
    }

    private static ByteBuf framed(IetfVersion v, IetfMessage m) {
        ByteBuf out = Unpooled.buffer();
        ControlCodec.write(out, m, v);
        return out;
    }

    /** SETUP as the draft lays it out, then {@code request} on the control stream (14-16) or its own bidi stream (17+). */
    private static void setupThen(RawIetfFamily.RawSession s, IetfVersion v, IetfMessage request) {
        if (v.hasRequestStreams()) {
            s.uni(framed(v, new Setup(Parameters.EMPTY)));
            s.bidi(framed(v, request));
        } else {
            ByteBuf out = framed(v, new ClientSetup(v.hasSetupVersions() ? List.of(v.code()) : List.of(),
                    Parameters.of(new Parameter.Int(SetupOption.MAX_REQUEST_ID, 100))));
            ByteBuf r = framed(v, request);
            out.writeBytes(r);
            r.release();
            s.bidi(out);
        }
    }

    private static void object(SubgroupStreamEncoder enc, ByteBuf out, long id, byte[] ext, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        enc.writeObjectHeader(out, id, ext == null ? null : Unpooled.wrappedBuffer(ext), p.length, ObjectStatus.NORMAL);
        out.writeBytes(p);
    }

    /**
     * Group 0: the header type with extension headers; objects 0 (EXT_A), 2 (none), 5 (EXT_B), then 6 with
     * status End of Group. Group 1: the header type without them; objects 0 and 3 (an empty Normal one), then 4
     * End of Group.
     */
    static ByteBuf stream(IetfVersion v, long alias, long group) {
        boolean extensions = group == 0;
        ByteBuf out = Unpooled.buffer();
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(v, new SubgroupHeader(alias, group,
                SubgroupHeader.MODE_ZERO, 0, 128, extensions, false, v.hasFirstObjectBit()));
        enc.writeHeader(out);
        if (extensions) {
            object(enc, out, 0, EXT_A, "a");
            object(enc, out, 2, null, "bb");
            object(enc, out, 5, EXT_B, "ccc");
            enc.writeObjectHeader(out, 6, null, 0, ObjectStatus.END_OF_GROUP);
        } else {
            object(enc, out, 0, null, "dd");
            object(enc, out, 3, null, "");
            enc.writeObjectHeader(out, 4, null, 0, ObjectStatus.END_OF_GROUP);
        }
        return out;
    }

    private static SubgroupHeader header(IetfVersion v, ByteBuf stream) throws Exception {
        try (SubgroupStreamDecoder d = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, v, 1 << 16)) {
            d.feed(stream.retainedDuplicate());
            SubgroupHeader h = d.readHeader();
            assertNotNull(h, "a whole subgroup header");
            return h;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-16", "moqt-17", "moqt-18", "moqt-20"})
    void idsGapsExtensionHeadersAndStatusPassThrough(String protocol) throws Exception {
        IetfVersion v = version(protocol);
        String path = "extras/" + protocol;
        TrackNamespace namespace = TrackNamespace.of("extras", protocol);
        RawIetfFamily pubFamily = new RawIetfFamily(protocol, s -> setupThen(s, v, new Publish(0, namespace,
                Octets.utf8("video"), ALIAS, Parameters.EMPTY, Octets.EMPTY)));
        RawIetfFamily subFamily = new RawIetfFamily(protocol, s -> setupThen(s, v, new Subscribe(0, namespace,
                Octets.utf8("video"), Parameters.EMPTY)));
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                        .sessionFactory(new SessionFactory(List.of(pubFamily))).build();
                MoqClient subClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                        .sessionFactory(new SessionFactory(List.of(subFamily))).build();
                MoqClient lite = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moq-lite-04")).build()) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("not: relay.origin().get(path) == null", () -> !(relay.origin().get(path) == null));
            assertTrue(relay.origin().get(path) != null, "the PUBLISH announced its namespace");
            Track relayed = relay.origin().get(path).track("video");
            try (ClientSession liteSub = lite.connect(url).get(15, TimeUnit.SECONDS)) {
                IetfRelayTest.Collector c = read(liteSub, path, "video");
                subClient.connect(url).get(15, TimeUnit.SECONDS);
                Await.until("not: relayed.subscriberCount() < 2", () -> !(relayed.subscriberCount() < 2));
                assertEquals(2, relayed.subscriberCount(), "the IETF and the moq-lite subscriber reached the track");
                RawIetfFamily.RawSession pub = pubFamily.session.get();
                RawIetfFamily.RawSession sub = subFamily.session.get();
                try {
                    pub.uniFinished(stream(v, ALIAS, 0));
                    // moq-lite: the payloads in order, gaps closed, the status object not sent.
                    assertEquals("0:0:a", c.next());
                    assertEquals("0:1:bb", c.next());
                    assertEquals("0:2:ccc", c.next());
                    pub.uniFinished(stream(v, ALIAS, 1));
                    assertEquals("1:0:dd", c.next());
                    assertEquals("1:1:", c.next());

                    TreeMap<Long, ByteBuf> received = new TreeMap<>();
                    for (int i = 0; i < 2; i++) {
                        ByteBuf got = sub.uniStreams.poll(15, TimeUnit.SECONDS);
                        assertNotNull(got, "subgroup stream " + i + " reached the IETF subscriber");
                        received.put(header(v, got).groupId(), got);
                    }
                    for (long g = 0; g < 2; g++) {
                        ByteBuf got = received.get(g);
                        SubgroupHeader h = header(v, got);
                        assertEquals(g == 0, h.hasProperties(), "header type with extensions only for group 0");
                        ByteBuf expected = stream(v, h.trackAlias(), g);
                        assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(got), "group " + g + " byte for byte");
                        expected.release();
                        got.release();
                    }
                    if (!v.hasFetchRangeParameters()) { // draft 20's range is a LOCATION_FILTER (IetfFetchTest's drafts)
                        assertEquals(expectedFetch(v), fetch(protocol, v, namespace, url));
                    }
                } finally {
                    pub.release();
                    sub.release();
                }
            }
        }
    }

    /** The cached groups 0 and 1 as "group:object:payload:extensions hex:status", fetched by a third session. */
    private static List<String> fetch(String protocol, IetfVersion v, TrackNamespace namespace, URI url) throws Exception {
        Fetch fetch = Fetch.standalone(0, namespace, Octets.utf8("video"), new Location(0, 0), new Location(1, 0),
                Parameters.EMPTY);
        RawIetfFamily family = new RawIetfFamily(protocol, s -> setupThen(s, v, fetch));
        try (MoqClient client = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                .sessionFactory(new SessionFactory(List.of(family))).build()) {
            client.connect(url).get(15, TimeUnit.SECONDS);
            RawIetfFamily.RawSession s = family.session.get(5, TimeUnit.SECONDS);
            ByteBuf stream = s.uniStreams.poll(15, TimeUnit.SECONDS);
            assertNotNull(stream, "a fetch stream");
            List<String> got = new ArrayList<>();
            try (FetchStreamDecoder d = new FetchStreamDecoder(ByteBufAllocator.DEFAULT, v, 1 << 16, false)) {
                d.feed(stream);
                assertEquals(0, d.readHeader().requestId());
                FetchEntry e;
                while ((e = d.readEntry()) != null) {
                    IetfObject o = (IetfObject) e;
                    got.add(o.groupId() + ":" + o.objectId() + ":" + o.payload().toString(StandardCharsets.UTF_8) + ":"
                            + (o.properties() == null ? "" : ByteBufUtil.hexDump(o.properties())) + ":" + o.status());
                    o.release();
                }
                d.finish();
            } finally {
                s.release();
            }
            return got;
        }
    }

    /** The objects of both groups with their ids and extension headers; status-only ones where the draft's fetch objects have a status (14-15). */
    private static List<String> expectedFetch(IetfVersion v) {
        List<String> want = new ArrayList<>();
        boolean status = !v.hasVarintSerializationFlags();
        want.add("0:0:a:" + ByteBufUtil.hexDump(EXT_A) + ":0");
        want.add("0:2:bb::0");
        want.add("0:5:ccc:" + ByteBufUtil.hexDump(EXT_B) + ":0");
        if (status) {
            want.add("0:6:::3");
        }
        want.add("1:0:dd::0");
        want.add("1:3:::0");
        if (status) {
            want.add("1:4:::3");
        }
        return want;
    }
}
