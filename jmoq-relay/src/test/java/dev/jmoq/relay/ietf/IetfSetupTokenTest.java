package dev.jmoq.relay.ietf;

import dev.jmoq.testkit.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.relay.auth.Jwt;
import dev.jmoq.relay.auth.JwtAlgorithm;
import dev.jmoq.relay.auth.JwtAuthorizer;
import dev.jmoq.relay.auth.JwtKey;
import dev.jmoq.relay.auth.KeySet;
import dev.jmoq.relay.auth.RefusalReason;
import dev.jmoq.relay.auth.TokenClaims;
import dev.jmoq.wire.ietf.AuthorizationToken;
import dev.jmoq.wire.ietf.ClientSetup;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.PublishNamespace;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SetupOption;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The AUTHORIZATION_TOKEN setup option over raw QUIC, where a URL carries no {@code ?jwt=}: a relay that
 * requires tokens admits the connection, checks the token of CLIENT_SETUP (14-16) or SETUP (17+) with the
 * same authorizer, and applies its grants before any request (a PUBLISH_NAMESPACE inside the grant is
 * taken); a setup without a token, or with a token signed by another key, closes the session with
 * UNAUTHORIZED (0x2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfSetupTokenTest {
    private final JwtKey key = JwtKey.generate(JwtAlgorithm.ES256, null);
    private final List<RefusalReason> refusals = new CopyOnWriteArrayList<>();
    private RelayServer relay;

    @BeforeAll
    void start() throws Exception {
        JwtAuthorizer auth = new JwtAuthorizer(KeySet.parse(key.toJwk(false).toString()), List.of(), List.of(),
                List.of(), refusals::add, Clock.systemUTC());
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1), null, auth).start();
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

    private static String sign(JwtKey k, List<String> publish) {
        return Jwt.sign(new TokenClaims("", publish, List.of(""), Instant.now().plusSeconds(600), Instant.now()), k);
    }

    /** A raw session: setup (with {@code token} when not null) and PUBLISH_NAMESPACE {@code namespace}. */
    private RawIetfFamily.RawSession connect(String protocol, String token, TrackNamespace namespace) throws Exception {
        IetfVersion v = version(protocol);
        Parameters options = token == null ? Parameters.EMPTY : Parameters.of(new Parameter.Raw(
                SetupOption.AUTHORIZATION_TOKEN, AuthorizationToken.useValue(0, Octets.utf8(token)).encode(v)));
        RawIetfFamily raw = new RawIetfFamily(protocol, s -> {
            if (v.hasRequestStreams()) {
                s.uni(framed(v, new Setup(options)));
                s.bidi(framed(v, new PublishNamespace(0, namespace, Parameters.EMPTY)));
            } else {
                ByteBuf out = framed(v, new ClientSetup(v.hasSetupVersions() ? List.of(v.code()) : List.of(),
                        options.with(new Parameter.Int(SetupOption.MAX_REQUEST_ID, 100))));
                ByteBuf p = framed(v, new PublishNamespace(0, namespace, Parameters.EMPTY));
                out.writeBytes(p);
                p.release();
                s.bidi(out);
            }
        });
        MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol))
                .sessionFactory(new SessionFactory(List.of(raw))).build();
        c.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        RawIetfFamily.RawSession s = raw.session.get(15, TimeUnit.SECONDS);
        // Once closed nothing more is read: what the session collected (SERVER_SETUP, REQUEST_OK) is freed.
        s.closed.whenComplete((code, e) -> {
            s.release();
            c.close();
        });
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moq-00", "moqt-16", "moqt-18", "moqt-20"})
    void aSetupTokenGrantsWhatItsClaimsSay(String protocol) throws Exception {
        String path = "granted/" + protocol;
        RawIetfFamily.RawSession s = connect(protocol, sign(key, List.of("granted")), TrackNamespace.of("granted", protocol));
        Await.until("not: relay.origin().get(path) == null", () -> !(relay.origin().get(path) == null));
        assertNotNull(relay.origin().get(path), "the token's grant let the PUBLISH_NAMESPACE in");
        s.connection.close(0, "done");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"moqt-16", "moqt-18"})
    void noTokenOrAForeignOneIsUnauthorized(String protocol) throws Exception {
        RawIetfFamily.RawSession none = connect(protocol, null, TrackNamespace.of("granted", "none"));
        assertEquals(IetfErrorCode.UNAUTHORIZED.code(), none.closed.get(15, TimeUnit.SECONDS));
        assertTrue(refusals.contains(RefusalReason.TOKEN_REQUIRED), refusals.toString());
        JwtKey other = JwtKey.generate(JwtAlgorithm.ES256, null);
        RawIetfFamily.RawSession foreign = connect(protocol, sign(other, List.of("granted")),
                TrackNamespace.of("granted", "foreign"));
        assertEquals(IetfErrorCode.UNAUTHORIZED.code(), foreign.closed.get(15, TimeUnit.SECONDS));
        assertTrue(relay.origin().get("granted/none") == null && relay.origin().get("granted/foreign") == null);
    }
}
