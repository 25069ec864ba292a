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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An IETF publisher (draft 18) that sends a group's subgroup stream before its SUBSCRIBE_OK, as the drafts
 * allow: the relay holds the stream until the answer names the alias, and the subscriber gets the group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfEarlyDataTest {
    private static final IetfVersion V = IetfVersion.DRAFT_18;
    private static final long ALIAS = 7;
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private static ByteBuf framed(IetfMessage m) {
        return RawIetfFamily.framed(m, V);
    }

    /** Group 0 of alias 7 as one subgroup stream: objects "early-0" .. "early-2". */
    private static ByteBuf group() {
        ByteBuf out = Unpooled.buffer();
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(V,
                new SubgroupHeader(ALIAS, 0, SubgroupHeader.MODE_ZERO, 0, 128, false, false, true));
        enc.writeHeader(out);
        for (int o = 0; o < 3; o++) {
            byte[] payload = ("early-" + o).getBytes(StandardCharsets.UTF_8);
            enc.writeObjectHeader(out, o, null, payload.length, ObjectStatus.NORMAL);
            out.writeBytes(payload);
        }
        return out;
    }

    @Test
    void aSubgroupStreamBeforeSubscribeOkIsHeldUntilTheAliasIsKnown() throws Exception {
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        RawIetfFamily raw = new RawIetfFamily("moqt-18", s -> {
            s.uni(framed(new Setup(Parameters.EMPTY)));
            s.bidi(framed(new PublishNamespace(0, TrackNamespace.of("early"), Parameters.EMPTY)));
        });
        raw.prepare = s -> s.onBidi = request -> {
            // The relay's SUBSCRIBE: send the group first, the answer only once the group is on its way.
            request.setReader(RawIetfFamily.DROP);
            s.connection.openUni().addListener(f -> {
                SendStream data = (SendStream) f.getNow();
                data.writeAndFinish(group());
                s.connection.eventLoop().schedule(() -> {
                    request.write(framed(new SubscribeOk(0, ALIAS, Parameters.EMPTY, Octets.EMPTY)));
                    request.flush();
                }, 200, TimeUnit.MILLISECONDS);
            });
        };
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18"))
                        .sessionFactory(new SessionFactory(List.of(raw))).build();
                MoqClient lite = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moq-lite-04")).build()) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("relay.origin().get('early') == null to end", () -> !(relay.origin().get("early") == null));
            assertTrue(relay.origin().get("early") != null, "announced");
            try (ClientSession sub = lite.connect(url).get(15, TimeUnit.SECONDS)) {
                IetfRelayTest.Collector c = read(sub, "early", "video");
                for (int o = 0; o < 3; o++) {
                    assertEquals("0:" + o + ":early-" + o, c.next());
                }
            }
            raw.session.get().release();
        }
    }
}
