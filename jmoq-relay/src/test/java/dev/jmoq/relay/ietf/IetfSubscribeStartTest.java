package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;
import static dev.jmoq.relay.ietf.IetfRelayTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.transport.SendStream;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.PublishNamespace;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SubgroupHeader;
import dev.jmoq.wire.ietf.SubgroupStreamEncoder;
import dev.jmoq.wire.ietf.SubscribeOk;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Where a relayed subscription starts (draft-ietf-moq-transport 5.1.2): the track had no content when the
 * relay processed the subscriber's SUBSCRIBE, so the subscriber gets every group from the first, even when
 * several groups reach the relay before it can answer. The draft-18 publisher sends three groups' streams
 * before its SUBSCRIBE_OK; the relay (one event loop) takes them all in when the answer names the alias,
 * before the subscriber's answer goes out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfSubscribeStartTest {
    private static final IetfVersion V = IetfVersion.DRAFT_18;
    private static final long ALIAS = 3;
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private static ByteBuf framed(IetfMessage m) {
        return RawIetfFamily.framed(m, V);
    }

    private static ByteBuf group(long g) {
        ByteBuf out = Unpooled.buffer();
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(V,
                new SubgroupHeader(ALIAS, g, SubgroupHeader.MODE_ZERO, 0, 128, false, false, true));
        enc.writeHeader(out);
        for (int o = 0; o < 5; o++) {
            byte[] payload = ("g" + g + "o" + o).getBytes(StandardCharsets.UTF_8);
            enc.writeObjectHeader(out, o, null, payload.length, ObjectStatus.NORMAL);
            out.writeBytes(payload);
        }
        return out;
    }

    @Test
    void groupsArrivingBeforeTheAnswerAreAllDelivered() throws Exception {
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        RawIetfFamily raw = new RawIetfFamily("moqt-18", s -> {
            s.uni(framed(new Setup(Parameters.EMPTY)));
            s.bidi(framed(new PublishNamespace(0, TrackNamespace.of("start"), Parameters.EMPTY)));
        });
        raw.prepare = s -> s.onBidi = request -> {
            // The relay's SUBSCRIBE: groups 0-2 first, the answer once they are on their way.
            request.setReader(RawIetfFamily.DROP);
            for (long g = 0; g < 3; g++) {
                long seq = g;
                s.connection.openUni().addListener(f -> ((SendStream) f.getNow()).writeAndFinish(group(seq)));
            }
            s.connection.eventLoop().schedule(() -> {
                request.write(framed(new SubscribeOk(0, ALIAS, Parameters.EMPTY, Octets.EMPTY)));
                request.flush();
            }, 300, TimeUnit.MILLISECONDS);
        };
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18"))
                        .sessionFactory(new SessionFactory(List.of(raw))).build();
                MoqClient ietf = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18")).build()) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("not: relay.origin().get('start') == null", () -> !(relay.origin().get("start") == null));
            assertTrue(relay.origin().get("start") != null, "announced");
            try (ClientSession sub = ietf.connect(url).get(15, TimeUnit.SECONDS)) {
                IetfRelayTest.Collector c = read(sub, "start", "video");
                Set<String> expected = new TreeSet<>();
                Set<String> got = new TreeSet<>();
                for (int g = 0; g < 3; g++) {
                    for (int o = 0; o < 5; o++) {
                        expected.add(g + ":" + o + ":g" + g + "o" + o);
                        got.add(c.next()); // groups travel on streams of their own: any interleaving
                    }
                }
                assertEquals(expected, got);
            }
            raw.session.get().release();
        }
    }
}
