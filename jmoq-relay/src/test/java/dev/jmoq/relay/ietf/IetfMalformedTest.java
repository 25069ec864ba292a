package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;

import static dev.jmoq.relay.ietf.IetfRelayTest.on;
import static dev.jmoq.relay.ietf.IetfRelayTest.payload;
import static dev.jmoq.relay.ietf.IetfRelayTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SetupOption;
import dev.jmoq.wire.ietf.Subscribe;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed IETF input per draft layout: each case closes only the offending session, with the draft's
 * session termination code, while another IETF session of the same draft keeps receiving its track.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfMalformedTest {
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private URI url() {
        return URI.create("moqt://127.0.0.1:" + relay.port() + "/");
    }

    private static IetfVersion version(String protocol) {
        return protocol.equals("moq-00") ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
    }

    private static ByteBuf framed(IetfVersion v, dev.jmoq.wire.ietf.IetfMessage m) {
        ByteBuf out = Unpooled.buffer();
        ControlCodec.write(out, m, v);
        return out;
    }

    /** The session's setup as the draft lays it out, then {@code after} on the control stream (14-16) or its own bidi stream (17+). */
    private static Consumer<RawIetfFamily.RawSession> setupThen(IetfVersion v, ByteBuf after) {
        return s -> {
            if (v.hasRequestStreams()) {
                s.uni(framed(v, new Setup(Parameters.EMPTY)));
                s.bidi(after);
            } else {
                ByteBuf out = framed(v, new ClientSetup(v.hasSetupVersions() ? List.of(v.code()) : List.of(),
                        Parameters.of(new Parameter.Int(SetupOption.MAX_REQUEST_ID, 100))));
                out.writeBytes(after);
                after.release();
                s.bidi(out);
            }
        };
    }

    private static ByteBuf subscribe(IetfVersion v, long requestId) {
        return framed(v, new Subscribe(requestId, TrackNamespace.of("x"), Octets.utf8("y"), Parameters.EMPTY));
    }

    /** What each case sends and the session termination code the relay must answer with. */
    private static Consumer<RawIetfFamily.RawSession> script(String kase, IetfVersion v) {
        return switch (kase) {
            // SUBSCRIBE (0x3) whose body is cut short inside its length.
            case "truncated" -> setupThen(v, Unpooled.wrappedBuffer(new byte[] {0x03, 0x00, 0x02, 0x00, 0x01}));
            // A control message type no draft has.
            case "unknown-type" -> setupThen(v, Unpooled.wrappedBuffer(new byte[] {0x3e, 0x00, 0x00}));
            // SUBSCRIBE whose namespace claims 60 fields, above the drafts' bound of 32.
            case "too-many-fields" -> setupThen(v, Unpooled.wrappedBuffer(new byte[] {0x03, 0x00, 0x02, 0x00, 0x3c}));
            // The client's first request with the server's parity.
            case "wrong-parity" -> setupThen(v, subscribe(v, 1));
            // A request beyond the MAX_REQUEST_ID the relay granted (128 requests).
            case "beyond-limit" -> setupThen(v, subscribe(v, 2 * 1000));
            // A uni stream of an unknown type after a valid setup.
            case "unknown-stream" -> s -> {
                setupThen(v, Unpooled.EMPTY_BUFFER).accept(s);
                s.uni(Unpooled.wrappedBuffer(new byte[] {0x3e, 0x01, 0x02}));
            };
            default -> throw new IllegalArgumentException(kase);
        };
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "moq-00,truncated,PROTOCOL_VIOLATION", "moqt-16,truncated,PROTOCOL_VIOLATION",
            "moqt-18,truncated,PROTOCOL_VIOLATION", "moqt-20,truncated,PROTOCOL_VIOLATION",
            "moq-00,unknown-type,PROTOCOL_VIOLATION", "moqt-17,unknown-type,PROTOCOL_VIOLATION",
            "moqt-20,unknown-type,PROTOCOL_VIOLATION",
            "moq-00,too-many-fields,PROTOCOL_VIOLATION", "moqt-20,too-many-fields,PROTOCOL_VIOLATION",
            "moq-00,wrong-parity,INVALID_REQUEST_ID", "moqt-16,wrong-parity,INVALID_REQUEST_ID",
            "moqt-18,wrong-parity,INVALID_REQUEST_ID",
            "moq-00,beyond-limit,TOO_MANY_REQUESTS", "moqt-16,beyond-limit,TOO_MANY_REQUESTS",
            "moq-00,unknown-stream,PROTOCOL_VIOLATION", "moqt-18,unknown-stream,PROTOCOL_VIOLATION"})
    void malformedInputClosesOnlyItsSession(String protocol, String kase, IetfErrorCode expected) throws Exception {
        IetfVersion v = version(protocol);
        RawIetfFamily raw = new RawIetfFamily(protocol, script(kase, v));
        try (MoqClient good = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
                MoqClient bad = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                        .sessionFactory(new SessionFactory(List.of(raw))).build();
                ClientSession pub = good.connect(url()).get(15, TimeUnit.SECONDS);
                ClientSession sub = good.connect(url()).get(15, TimeUnit.SECONDS)) {
            String path = "malformed/" + protocol + "/" + kase;
            Broadcast b = pub.publish(path);
            Track t = on(pub, () -> b.createTrack("video"));
            Await.until("relay.origin().get(path) == null to end", () -> !(relay.origin().get(path) == null));
            IetfRelayTest.Collector c = read(sub, path, "video");
            Await.until("t.subscriberCount() == 0 to end", () -> !(t.subscriberCount() == 0));
            assertTrue(t.subscriberCount() > 0, "subscribed");
            send(pub, t, 0);
            assertEquals("0:0:" + payload(0, 0), c.next());

            bad.connect(url()).get(15, TimeUnit.SECONDS);
            long code = raw.session.get(5, TimeUnit.SECONDS).closed.get(15, TimeUnit.SECONDS);
            raw.session.get().release();
            assertEquals(expected.code(v), code, "the relay's close code for " + kase);

            // The other sessions never noticed.
            send(pub, t, 1);
            assertEquals("1:0:" + payload(1, 0), c.next());
        }
    }

    private static void send(ClientSession pub, Track t, int g) throws Exception {
        on(pub, () -> {
            Group group = t.createGroup(g);
            group.append(Unpooled.copiedBuffer(payload(g, 0), StandardCharsets.UTF_8));
            group.finish();
            return null;
        });
    }
}
