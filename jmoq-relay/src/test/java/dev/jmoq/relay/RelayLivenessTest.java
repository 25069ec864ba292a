package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Track;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats.HandshakeStage;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.transport.websocket.QmuxSettings;
import dev.jmoq.transport.websocket.WebSocketClient;
import dev.jmoq.wire.lite.ClientSetup;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead peers and stalled handshakes at the relay: a WebSocket publisher whose network goes silent has its
 * session closed after the idle timeout, which withdraws its broadcast (it disappears from the origin and
 * /announced) and cancels what viewers and the relay asked of it; a silent viewer's subscription ends
 * upstream; a connection that never sends its MoQ SETUP is closed and counted; the sessions gauge counts only
 * established sessions, each closed once (refused or timed out in SETUP: neither); the stream limit is what
 * the relay advertises.
 */
class RelayLivenessTest {
    private RelayServer relay;
    private MoqClient client;

    @BeforeEach
    void start() {
        RelayConfig config = RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1).toBuilder()
                .idleTimeout(Duration.ofMillis(900))
                .handshakeTimeout(Duration.ofMillis(500))
                .trackLinger(Duration.ZERO)
                .limits(new RelayLimits(0, 0, 7, 0, 0))
                .build();
        relay = new RelayServer(config).start();
        client = MoqClient.builder().insecure(true).build();
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    private ClientSession connect(int port) throws Exception {
        return client.connect(URI.create("ws://127.0.0.1:" + port + "/")).get(15, TimeUnit.SECONDS);
    }

    @Test
    void aSilentWebSocketPublishersBroadcastIsWithdrawn() throws Exception {
        try (SilentProxy proxy = new SilentProxy(relay.port())) {
            ClientSession pub = connect(proxy.port());
            pub.executor().submit(() -> pub.publish("room/silent").createTrack("video")).get(10, TimeUnit.SECONDS);
            Await.until("the relay lists the broadcast", () -> relay.origin().get("room/silent") != null);
            proxy.cut();
            Await.until("the broadcast is withdrawn", () -> relay.origin().get("room/silent") == null);
            assertTrue(relay.transportStats().idleTimeouts(TransportKind.WEBSOCKET) >= 1);
            Await.until("the session is gone", () -> relay.sessionCount() == 0);
            pub.abandon();
        }
    }

    @Test
    void aSilentViewersSubscriptionIsCancelledUpstream() throws Exception {
        ClientSession pub = connect(relay.port());
        Track video = pub.executor().submit(() -> pub.publish("room/live").createTrack("video")).get(10, TimeUnit.SECONDS);
        Await.until("the relay lists the broadcast", () -> relay.origin().get("room/live") != null);
        try (SilentProxy proxy = new SilentProxy(relay.port())) {
            ClientSession viewer = connect(proxy.port());
            viewer.subscribe("room/live", "video");
            Await.until("the publisher is asked for the track", () -> video.subscriberCount() == 1);
            proxy.cut();
            Await.until("the relay cancels its subscription to the publisher", () -> video.subscriberCount() == 0);
            assertTrue(pub.closed().getNow(null) == null, "the publisher's own session is untouched");
            viewer.abandon();
        } finally {
            pub.close();
        }
    }

    @Test
    void aConnectionThatNeverSendsItsSetupIsClosedAndCounted() throws Exception {
        MoqConnection c = bareQmux00();
        assertTrue(c.closeFuture().await(20, TimeUnit.SECONDS), "the relay closed the connection");
        assertEquals(1, relay.transportStats().handshakeTimeouts(HandshakeStage.SETUP));
        assertTrue(relay.metrics().scrape().contains("jmoq_handshake_timeouts_total{stage=\"setup\"} 1.0"));
    }

    /**
     * A bare qmux-00 WebSocket connection (no version in the subprotocol, so the session waits for CLIENT_SETUP)
     * that refuses every stream the relay opens.
     */
    private MoqConnection bareQmux00() throws Exception {
        MoqConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/"),
                new ClientOptions(client.eventLoops(), List.of(), false, List.of(), 10_000), QmuxSettings.defaults(),
                List.of("qmux-00")).get(10, TimeUnit.SECONDS);
        refuseStreams(c);
        return c;
    }

    /** Sets a handler on {@code c} that refuses every stream the relay opens and ignores the close. */
    private static void refuseStreams(MoqConnection c) throws Exception {
        c.eventLoop().submit(() -> c.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.reset(0);
            }

            @Override
            public void onUniStream(RecvStream stream) {
                stream.stopSending(0);
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        })).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSessionsGaugeCountsEachEstablishedSessionOnceAndNothingElse() throws Exception {
        // Refused in SETUP: a CLIENT_SETUP offering only a version the relay does not speak.
        MoqConnection refused = bareQmux00();
        refused.eventLoop().submit(() -> refused.openBidi().addListener(f -> {
            BidiStream s = (BidiStream) f.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.CLIENT_COMPAT.write(out);
            new ClientSetup(List.of(0x7ab1eL), List.of()).encode(out, LiteVersion.DRAFT_02);
            s.write(out);
            s.flush();
        })).get(10, TimeUnit.SECONDS);
        assertTrue(refused.closeFuture().await(20, TimeUnit.SECONDS), "the relay refused the SETUP");
        // Timed out in SETUP: nothing sent.
        MoqConnection silent = bareQmux00();
        assertTrue(silent.closeFuture().await(20, TimeUnit.SECONDS), "the relay closed the silent connection");
        // Timed out in SETUP on IETF moq-transport: a raw QUIC moqt-16 connection that never sends CLIENT_SETUP.
        MoqConnection ietfSilent = QuicClient.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/"),
                new ClientOptions(client.eventLoops(), List.of("moqt-16"), true, List.of(), 10_000)).get(10, TimeUnit.SECONDS);
        refuseStreams(ietfSilent);
        assertTrue(ietfSilent.closeFuture().await(20, TimeUnit.SECONDS), "the relay closed the silent IETF connection");
        Await.until("the unestablished sessions ended", () -> relay.sessionCount() == 0);
        assertEquals(0, relay.sessionStats().sessionsOpened.sum());
        assertEquals(0, relay.sessionStats().sessionsClosed.sum(), "a session never established is never counted closed");
        // Established, then closed normally: counted once each way.
        ClientSession s = connect(relay.port());
        Await.until("the session is counted open", () -> relay.sessionStats().sessionsOpened.sum() == 1);
        s.close();
        Await.until("the session is counted closed", () -> relay.sessionStats().sessionsClosed.sum() >= 1);
        Await.until("the session is gone", () -> relay.sessionCount() == 0);
        assertEquals(1, relay.sessionStats().sessionsClosed.sum());
        assertTrue(relay.metrics().scrape().contains("jmoq_sessions_active 0.0"), "the gauge is back at exactly 0");
    }

    @Test
    void anEstablishedSessionFeedsTheHandshakeTimer() throws Exception {
        ClientSession s = connect(relay.port());
        Await.until("the handshake is recorded",
                () -> relay.metrics().handshakeTimer(TransportKind.WEBSOCKET).count() == 1);
        assertEquals(0, relay.transportStats().handshakeTimeouts(HandshakeStage.SETUP));
        s.close();
    }

    @Test
    void rawQuicPeersAreOfferedTheConfiguredStreamLimit() throws Exception {
        QuicChannel ch = QuicClient.dial(URI.create("moqt://127.0.0.1:" + relay.port() + "/"),
                new ClientOptions(client.eventLoops(), List.of("moq-lite-04"), true, List.of(), 10_000),
                List.of("moq-lite-04"), client.eventLoops().next(), new ChannelInboundHandlerAdapter())
                .get(10, TimeUnit.SECONDS);
        try {
            assertEquals(7, ch.peerTransportParameters().initialMaxStreamsBidi());
            assertEquals(7, ch.peerTransportParameters().initialMaxStreamsUni());
        } finally {
            ch.close();
        }
    }
}
