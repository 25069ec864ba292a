package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.testkit.Await;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.TransportStats.HandshakeStage;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dead peers and half-open handshakes on the WebSocket transport, for every framing: a peer that goes
 * silent without closing is dropped after the idle timeout, a quiet but live peer is kept by the probes it
 * answers, and a connection that stalls in the HTTP request or the qmux preamble is closed and counted.
 * Timeouts are configured short; the tests wait for counters and close events.
 */
class WebSocketLivenessTest {
    private static final List<String> ALPNS = List.of("moq-lite-04", "moq-lite-03", "moql");
    private static final long IDLE_MILLIS = 600;
    private static ServerCertificate cert;

    private EventLoopGroup group;
    private final List<WebSocketServer> servers = new ArrayList<>();
    private final TransportStats stats = new TransportStats();

    @BeforeAll
    static void certificate() {
        cert = ServerCertificate.selfSigned(List.of("localhost", "127.0.0.1"));
    }

    @BeforeEach
    void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        for (WebSocketServer s : servers) {
            s.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private WebSocketServer server(EchoAcceptor acceptor, long idleMillis, long handshakeMillis) throws Exception {
        ServerOptions options = new ServerOptions(new InetSocketAddress("127.0.0.1", 0), cert, ALPNS, acceptor, 1,
                idleMillis).withBounds(handshakeMillis, 100, stats);
        WebSocketServer s = WebSocketServer.start(options);
        servers.add(s);
        return s;
    }

    private static byte[] params(WireVersion wire) {
        ByteBuf b = Unpooled.buffer();
        ByteBuf body = Unpooled.buffer();
        new TransportParameters(0, 1 << 20, 1 << 16, 1 << 16, 1 << 16, 10, 10, 0, 16382).encode(body, wire);
        VarInt.write(b, FrameCodec.QX_TRANSPORT_PARAMETERS);
        VarInt.write(b, body.readableBytes());
        b.writeBytes(body);
        body.release();
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"webtransport", "qmux-00", "qmux-01", "qmux-02", "qmux-00.moq-lite-04", "qmux-02.moq-lite-04"})
    void aPeerThatGoesSilentWithoutClosingIsDropped(String offer) throws Exception {
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, IDLE_MILLIS, 30_000);
        try (RawPeer silent = new RawPeer(group, s.port(), offer)) {
            assertEquals(offer, silent.subprotocol.get(10, TimeUnit.SECONDS));
            WireVersion wire = Subprotocol.parse(offer).orElseThrow().wire();
            if (wire.isQmux()) {
                silent.send(params(wire)); // a complete preamble; then nothing, and no answer to any probe
            }
            Await.until("the server drops the silent peer", () -> stats.idleTimeouts(TransportKind.WEBSOCKET) == 1);
            assertTrue(silent.awaitClosed(10_000), "the socket is closed");
            MoqConnection conn = echo.connections.peek();
            assertTrue(conn.closeFuture().await(10, TimeUnit.SECONDS), "the connection reports its end");
            assertTrue(echo.closes.peek().startsWith("-1 idle timeout"), echo.closes.toString());
            assertTrue(stats.keepAlives(TransportKind.WEBSOCKET) >= 1, "it was probed before being dropped");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"webtransport", "qmux-00.moq-lite-04", "qmux-01.moq-lite-04", "qmux-02.moq-lite-04"})
    void aQuietLivePeerAnswersTheProbesAndStays(String offer) throws Exception {
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, IDLE_MILLIS, 30_000);
        // The client has no idle timer of its own: only the server's probes and their answers flow.
        MoqConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + s.port() + "/"),
                new ClientOptions(group, ALPNS, false, List.of(), 5000), QmuxSettings.defaults().withIdleTimeoutMillis(0),
                List.of(offer)).get(10, TimeUnit.SECONDS);
        try {
            // Three idle timeouts' worth of probes (one every third of it), each answered.
            Await.until("nine probes", () -> stats.keepAlives(TransportKind.WEBSOCKET) >= 9);
            assertTrue(c.isOpen(), "the client is still connected");
            assertTrue(echo.connections.peek().isOpen(), "the server kept the connection");
            assertEquals(0, stats.idleTimeouts(TransportKind.WEBSOCKET));
        } finally {
            c.close(0, "done");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qmux-00", "qmux-01", "qmux-02"})
    void anUpgradedSocketThatNeverSendsItsTransportParametersIsClosed(String offer) throws Exception {
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, 30_000, 300);
        try (RawPeer mute = new RawPeer(group, s.port(), offer)) {
            assertEquals(offer, mute.subprotocol.get(10, TimeUnit.SECONDS));
            Await.until("a preamble timeout", () -> stats.handshakeTimeouts(HandshakeStage.QMUX_PREAMBLE) == 1);
            assertTrue(mute.awaitClosed(10_000), "the socket is closed");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        WebSocketServer s = server(new EchoAcceptor(), 30_000, 300);
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(20_000);
            assertEquals(-1, socket.getInputStream().read(), "the server closed the connection");
        }
        assertEquals(1, stats.handshakeTimeouts(HandshakeStage.HTTP));
    }

    @Test
    void halfAnHttpRequestIsClosed() throws Exception {
        WebSocketServer s = server(new EchoAcceptor(), 30_000, 300);
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /room HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(-1, socket.getInputStream().read(), "the server closed the connection");
        }
        assertEquals(1, stats.handshakeTimeouts(HandshakeStage.HTTP));
    }

    @Test
    void aKeptAliveHttpConnectionIsBoundAfterEachResponse() throws Exception {
        WebSocketServer s = server(new EchoAcceptor(), 30_000, 300);
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /certificate.sha256 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", head);
            while (in.read() != -1) {
                // the response, then the close after the next request's deadline
            }
        }
        assertEquals(1, stats.handshakeTimeouts(HandshakeStage.HTTP));
    }

    @Test
    void theStreamLimitIsAdvertisedFromTheServerOptions() throws Exception {
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, 30_000, 30_000);
        try (RawPeer peer = new RawPeer(group, s.port(), "qmux-01")) {
            peer.subprotocol.get(10, TimeUnit.SECONDS);
            byte[] first = peer.received.poll(10, TimeUnit.SECONDS);
            ByteBuf b = Unpooled.wrappedBuffer(first);
            Frame f = FrameCodec.decode(b, WireVersion.QMUX_01, false);
            TransportParameters p = ((Frame.Parameters) f).params();
            assertEquals(100, p.initialMaxStreamsBidi());
            assertEquals(100, p.initialMaxStreamsUni());
            assertEquals(30_000, p.maxIdleTimeoutMillis());
        }
    }
}
