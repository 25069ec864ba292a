package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;

import static dev.jmoq.relay.ietf.IetfRelayTest.on;
import static dev.jmoq.relay.ietf.IetfRelayTest.payload;
import static dev.jmoq.relay.ietf.IetfRelayTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.wire.ietf.ClientSetup;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.Fetch;
import dev.jmoq.wire.ietf.FetchEntry;
import dev.jmoq.wire.ietf.FetchOk;
import dev.jmoq.wire.ietf.FetchStreamDecoder;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfObject;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Location;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SetupOption;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A standalone FETCH of cached groups answered with FETCH_OK and one fetch stream, byte for byte. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfFetchTest {
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private static ByteBuf framed(IetfVersion v, IetfMessage m) {
        ByteBuf out = Unpooled.buffer();
        ControlCodec.write(out, m, v);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-16", "moqt-18"})
    void standaloneFetchOfCachedGroups(String protocol) throws Exception {
        IetfVersion v = protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        String path = "fetch/" + protocol;
        Fetch fetch = Fetch.standalone(0, TrackNamespace.of("fetch", protocol), Octets.utf8("video"),
                new Location(0, 0), new Location(1, 0), Parameters.EMPTY);
        RawIetfFamily raw = new RawIetfFamily(protocol, s -> {
            if (v.hasRequestStreams()) {
                s.uni(framed(v, new Setup(Parameters.EMPTY)));
                s.bidi(framed(v, fetch));
            } else {
                ByteBuf out = framed(v, new ClientSetup(v.hasSetupVersions() ? List.of(v.code()) : List.of(),
                        Parameters.of(new Parameter.Int(SetupOption.MAX_REQUEST_ID, 100))));
                ByteBuf f = framed(v, fetch);
                out.writeBytes(f);
                f.release();
                s.bidi(out);
            }
        });
        try (MoqClient good = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
                MoqClient bad = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                        .sessionFactory(new SessionFactory(List.of(raw))).build();
                ClientSession pub = good.connect(url).get(15, TimeUnit.SECONDS);
                ClientSession sub = good.connect(url).get(15, TimeUnit.SECONDS)) {
            Broadcast b = pub.publish(path);
            Track t = on(pub, () -> b.createTrack("video"));
            Await.until("relay.origin().get(path) == null to end", () -> !(relay.origin().get(path) == null));
            // A subscriber brings the track into the relay's cache.
            IetfRelayTest.Collector c = read(sub, path, "video");
            Await.until("t.subscriberCount() == 0 to end", () -> !(t.subscriberCount() == 0));
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

            bad.connect(url).get(15, TimeUnit.SECONDS);
            RawIetfFamily.RawSession s = raw.session.get(5, TimeUnit.SECONDS);
            ByteBuf stream = s.uniStreams.poll(15, TimeUnit.SECONDS);
            assertNotNull(stream, "a fetch stream");
            List<String> got = new ArrayList<>();
            try (FetchStreamDecoder d = new FetchStreamDecoder(ByteBufAllocator.DEFAULT, v, 1 << 20, false)) {
                d.feed(stream);
                assertEquals(0, d.readHeader().requestId());
                FetchEntry e;
                while ((e = d.readEntry()) != null) {
                    IetfObject o = (IetfObject) e;
                    got.add(o.groupId() + ":" + o.objectId() + ":" + o.payload().toString(StandardCharsets.UTF_8));
                    o.release();
                }
                d.finish();
            }
            List<String> want = new ArrayList<>();
            for (int g = 0; g < 2; g++) {
                for (int o = 0; o < 5; o++) {
                    want.add(g + ":" + o + ":" + payload(g, o));
                }
            }
            assertEquals(want, got);

            // FETCH_OK came first on the request's stream (the control stream on 14-16, after SERVER_SETUP).
            ByteBuf reply = s.bidiReply(0);
            try {
                IetfMessage m;
                FetchOk ok = null;
                while ((m = ControlCodec.tryRead(reply, v, 1 << 16)) != null) {
                    if (m instanceof FetchOk f) {
                        ok = f;
                    }
                }
                assertNotNull(ok, "FETCH_OK");
                assertEquals(new Location(1, 4), ok.endLocation());
                assertTrue(!ok.endOfTrack());
            } finally {
                reply.release();
                s.release();
            }
        }
    }
}
