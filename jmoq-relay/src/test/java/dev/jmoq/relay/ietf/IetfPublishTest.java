package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;

import static dev.jmoq.relay.ietf.IetfRelayTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.wire.ietf.ClientSetup;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.Publish;
import dev.jmoq.wire.ietf.PublishDone;
import dev.jmoq.wire.ietf.PublishDoneCode;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SetupOption;
import dev.jmoq.wire.ietf.SubgroupHeader;
import dev.jmoq.wire.ietf.SubgroupStreamEncoder;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publisher-initiated PUBLISH: an IETF publisher offers a track unasked; the relay takes it into its origin
 * (announcing the namespace), a moq-lite subscriber receives its group byte for byte, and PUBLISH_DONE
 * ends the track once its streams arrived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfPublishTest {
    private static final long ALIAS = 3;
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

    private static ByteBuf group(IetfVersion v) {
        ByteBuf out = Unpooled.buffer();
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(v,
                new SubgroupHeader(ALIAS, 0, SubgroupHeader.MODE_ZERO, 0, 128, false, false, v.hasFirstObjectBit()));
        enc.writeHeader(out);
        for (int o = 0; o < 3; o++) {
            byte[] payload = ("pushed-" + o).getBytes(StandardCharsets.UTF_8);
            enc.writeObjectHeader(out, o, null, payload.length, ObjectStatus.NORMAL);
            out.writeBytes(payload);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-16", "moqt-18", "moqt-20"})
    void aPublishedTrackReachesAMoqLiteSubscriber(String protocol) throws Exception {
        IetfVersion v = protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
        String path = "pushed/" + protocol;
        Publish publish = new Publish(0, TrackNamespace.of("pushed", protocol), Octets.utf8("video"), ALIAS,
                Parameters.EMPTY, Octets.EMPTY);
        RawIetfFamily raw = new RawIetfFamily(protocol, s -> {
            if (v.hasRequestStreams()) {
                s.uni(framed(v, new Setup(Parameters.EMPTY)));
                s.bidi(framed(v, publish));
            } else {
                ByteBuf out = framed(v, new ClientSetup(v.hasSetupVersions() ? List.of(v.code()) : List.of(),
                        Parameters.of(new Parameter.Int(SetupOption.MAX_REQUEST_ID, 100))));
                ByteBuf p = framed(v, publish);
                out.writeBytes(p);
                p.release();
                s.bidi(out);
            }
        });
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                        .sessionFactory(new SessionFactory(List.of(raw))).build();
                MoqClient lite = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moq-lite-04")).build()) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("relay.origin().get(path) == null to end", () -> !(relay.origin().get(path) == null));
            assertTrue(relay.origin().get(path) != null, "the PUBLISH announced its namespace");
            Track relayed = relay.origin().get(path).track("video");
            try (ClientSession sub = lite.connect(url).get(15, TimeUnit.SECONDS)) {
                IetfRelayTest.Collector c = read(sub, path, "video");
                Await.until("relayed.subscriberCount() == 0 to end", () -> !(relayed.subscriberCount() == 0));
                assertTrue(relayed.subscriberCount() > 0, "the subscriber reached the published track");
                RawIetfFamily.RawSession s = raw.session.get();
                s.uniFinished(group(v));
                for (int o = 0; o < 3; o++) {
                    assertEquals("0:" + o + ":pushed-" + o, c.next());
                }
                s.write(0, framed(v, new PublishDone(0, PublishDoneCode.TRACK_ENDED.code(v), 1, "done")));
                assertEquals(-1L, c.ended.get(15, TimeUnit.SECONDS), "PUBLISH_DONE ends the track");
                s.release();
            }
        }
    }
}
