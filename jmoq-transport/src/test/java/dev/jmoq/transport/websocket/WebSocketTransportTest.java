package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionAcceptor;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebSocketTransportTest {
    private static final long WAIT = 10;
    private static final List<String> ALPNS = List.of("moq-lite-04", "moq-lite-03", "moql");
    private static ServerCertificate cert;

    private EventLoopGroup group;
    private final List<WebSocketServer> servers = new ArrayList<>();
    private final List<MoqConnection> clients = new ArrayList<>();

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
        for (MoqConnection c : clients) {
            c.close(0, "test done");
            c.closeFuture().awaitUninterruptibly(2000);
        }
        for (WebSocketServer s : servers) {
            s.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private WebSocketServer server(ConnectionAcceptor acceptor, QmuxSettings settings) throws Exception {
        WebSocketServer s = WebSocketServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0), cert, ALPNS,
                acceptor, 1, 30_000), settings);
        servers.add(s);
        return s;
    }

    private ClientOptions options(boolean insecure, List<byte[]> pins) {
        return new ClientOptions(group, ALPNS, insecure, pins, 5000);
    }

    private MoqConnection connect(WebSocketServer s, List<String> offer, QmuxSettings settings) throws Exception {
        MoqConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + s.port() + "/room?jwt=abc"),
                options(false, List.of()), settings, offer).get(WAIT, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Collects a stream's bytes; completes with them on FIN, exceptionally with the code on reset. */
    static final class Collector implements StreamReader {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final CompletableFuture<Long> reset = new CompletableFuture<>();

        @Override
        public void onData(ByteBuf data) {
            try {
                data.readBytes(bytes, data.readableBytes());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                data.release();
            }
        }

        @Override
        public void onFinish() {
            done.complete(bytes.toByteArray());
        }

        @Override
        public void onReset(long code) {
            reset.complete(code);
            done.completeExceptionally(new IllegalStateException("reset " + code));
        }
    }

    /** Writes {@code data} respecting back-pressure, then finishes. Runs on the stream's loop. */
    private static void writeRespectingCredit(SendStream out, byte[] data, int chunk) {
        int[] pos = {0};
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            while (pos[0] < data.length && out.isWritable()) {
                int n = Math.min(chunk, data.length - pos[0]);
                out.write(Unpooled.wrappedBuffer(data, pos[0], n));
                pos[0] += n;
            }
            if (pos[0] == data.length) {
                out.finish();
            }
            out.flush();
        };
        out.onWritable(step[0]);
        step[0].run();
    }

    private static byte[] bidiEcho(MoqConnection c, byte[] data) throws Exception {
        Collector col = new Collector();
        c.openBidi().addListener(f -> {
            BidiStream s = (BidiStream) f.getNow();
            s.setReader(col);
            writeRespectingCredit(s, data, 16 * 1024);
        });
        return col.done.get(WAIT * 3, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @CsvSource({
            "'qmux-00.moq-lite-04,qmux-00,webtransport', qmux-00.moq-lite-04",
            "'qmux-01.moq-lite-03', qmux-01.moq-lite-03",
            "'qmux-00.moq-lite-04,qmux-02.moq-lite-04', qmux-02.moq-lite-04",
            "'qmux-00.moq-lite-03,qmux-00.moq-lite-04', qmux-00.moq-lite-04",
            "'qmux-00,webtransport', qmux-00",
            "'qmux-01', qmux-01",
            "'qmux-02', qmux-02",
            "'webtransport', webtransport",
    })
    void negotiatesTheSubprotocolAndEchoes(String offer, String expected) throws Exception {
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, QmuxSettings.defaults());
        MoqConnection c = connect(s, List.of(offer.split(",")), QmuxSettings.defaults());
        Subprotocol want = Subprotocol.parse(expected).orElseThrow();
        assertEquals(want.alpn(), c.protocol());
        assertEquals(want.wire(), ((QmuxConnection) c).wire());
        byte[] data = pattern(100_000, 1);
        assertArrayEquals(data, bidiEcho(c, data));
        MoqConnection served = echo.connections.peek();
        assertNotNull(served);
        assertEquals(want.alpn(), served.protocol());
        assertEquals("/room?jwt=abc", served.path());
    }

    @Test
    void echoesUniStreams() throws Exception {
        WebSocketServer s = server(new EchoAcceptor(), QmuxSettings.defaults());
        MoqConnection c = connect(s, List.of("qmux-01.moq-lite-04"), QmuxSettings.defaults());
        Collector col = new Collector();
        dev.jmoq.transport.TestStreams.readUniStreamsWith(c, col);
        byte[] data = pattern(300_000, 2);
        c.openUni().addListener(f -> writeRespectingCredit((SendStream) f.getNow(), data, 10_000));
        assertArrayEquals(data, col.done.get(WAIT, TimeUnit.SECONDS));
    }

    @Test
    void manyStreamsBeyondTheStreamLimitWaitForMaxStreams() throws Exception {
        QmuxSettings small = new QmuxSettings(1 << 20, 1 << 16, 1 << 16, 1 << 16, 8, 8, 30_000, 1 << 20, 1 << 20);
        WebSocketServer s = server(new EchoAcceptor(), small);
        MoqConnection c = connect(s, List.of("qmux-02.moq-lite-04"), QmuxSettings.defaults());
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] data = pattern(500 + i * 13, i);
            sent.add(data);
            Collector col = new Collector();
            results.add(col.done);
            c.openBidi().addListener(f -> {
                BidiStream st = (BidiStream) f.getNow();
                st.setReader(col);
                st.writeAndFinish(Unpooled.wrappedBuffer(data));
            });
        }
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(sent.get(i), results.get(i).get(WAIT, TimeUnit.SECONDS), "stream " + i);
        }
    }

    @Test
    void anOpenerCancelledWhileWaitingForCreditTakesNoStream() throws Exception {
        // The server allows one bidi stream at a time: the second opener waits, is cancelled, and the third
        // gets the next stream id once the first stream ends, as if the second had never been asked for.
        QmuxSettings one = new QmuxSettings(1 << 20, 1 << 16, 1 << 16, 1 << 16, 1, 1, 30_000, 1 << 20, 1 << 20);
        WebSocketServer s = server(new EchoAcceptor(), one);
        MoqConnection c = connect(s, List.of("qmux-02.moq-lite-04"), QmuxSettings.defaults());
        BidiStream first = c.openBidi().get(WAIT, TimeUnit.SECONDS);
        io.netty.util.concurrent.Future<BidiStream> second = c.openBidi();
        assertTrue(second.cancel(false), "a waiting opener can be cancelled");
        io.netty.util.concurrent.Future<BidiStream> third = c.openBidi();
        Collector col = new Collector();
        c.eventLoop().submit(() -> {
            first.setReader(col);
            first.writeAndFinish(Unpooled.wrappedBuffer(pattern(10, 1)));
        }).get(WAIT, TimeUnit.SECONDS);
        col.done.get(WAIT, TimeUnit.SECONDS);
        BidiStream next = third.get(WAIT, TimeUnit.SECONDS);
        assertEquals(((QmuxStream) first).id() + 4, ((QmuxStream) next).id(), "the cancelled opener used no stream id");
        assertTrue(second.isCancelled());
    }

    @Test
    void largeTransfersFollowStreamAndConnectionCredit() throws Exception {
        // Connection window smaller than two stream windows: progress needs MAX_DATA as well as MAX_STREAM_DATA.
        QmuxSettings small = new QmuxSettings(96 << 10, 64 << 10, 64 << 10, 64 << 10, 100, 100, 30_000, 256 << 10, 1 << 20);
        WebSocketServer s = server(new EchoAcceptor(), small);
        MoqConnection c = connect(s, List.of("qmux-00.moq-lite-04"), small);
        byte[] a = pattern(4 << 20, 3);
        byte[] b = pattern(3 << 20, 4);
        CompletableFuture<byte[]> fa = CompletableFuture.supplyAsync(() -> {
            try {
                return bidiEcho(c, a);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertArrayEquals(b, bidiEcho(c, b));
        assertArrayEquals(a, fa.get(WAIT * 3, TimeUnit.SECONDS));
    }

    @Test
    void senderBlocksAtTheStreamWindowAndResumesOnMaxStreamData() throws Exception {
        int window = 64 << 10;
        QmuxSettings small = new QmuxSettings(1 << 20, window, window, window, 100, 100, 30_000, 1 << 20, 1 << 20);
        LinkedBlockingQueue<BidiStream> held = new LinkedBlockingQueue<>();
        Collector serverSide = new Collector();
        WebSocketServer s = server(conn -> conn.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.setAutoRead(false);
                stream.setReader(serverSide);
                held.add(stream);
            }

            @Override
            public void onUniStream(RecvStream stream) {
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        }), small);
        MoqConnection c = connect(s, List.of("qmux-01.moq-lite-04"), QmuxSettings.defaults());
        BidiStream out = c.openBidi().get(WAIT, TimeUnit.SECONDS);
        CompletableFuture<Void> writable = new CompletableFuture<>();
        long written = c.eventLoop().submit(() -> {
            long n = 0;
            while (out.isWritable() && n < 10L * window) {
                out.write(Unpooled.wrappedBuffer(pattern(4096, (int) n)));
                n += 4096;
            }
            out.flush();
            out.onWritable(() -> writable.complete(null));
            return n;
        }).get(WAIT, TimeUnit.SECONDS);
        assertEquals(window, written, "the sender stops exactly at the peer's stream window");
        BidiStream serverStream = held.poll(WAIT, TimeUnit.SECONDS);
        assertNotNull(serverStream);
        assertFalse(c.eventLoop().submit(out::isWritable).get(), "no credit while the reader is paused");
        assertFalse(writable.isDone());
        // Resume reading: consumption releases MAX_STREAM_DATA and the sender is woken.
        servedLoop(serverStream, () -> serverStream.setAutoRead(true));
        writable.get(WAIT, TimeUnit.SECONDS);
        assertTrue(c.eventLoop().submit(out::isWritable).get());
        for (int i = 0; i < 250 && servedSize(serverStream, serverSide) < window; i++) {
            Thread.sleep(20);
        }
        assertEquals(window, servedSize(serverStream, serverSide), "exactly what was written arrives");
    }

    private int servedSize(BidiStream stream, Collector col) throws Exception {
        return ((QmuxStream) stream).connLoop().submit(() -> col.bytes.size()).get(WAIT, TimeUnit.SECONDS);
    }

    /** Runs {@code task} on the loop of the server connection owning {@code stream}. */
    private void servedLoop(BidiStream stream, Runnable task) throws Exception {
        ((QmuxStream) stream).connLoop().submit(task).get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void resetAndStopSendingCarryTheirCodes() throws Exception {
        CompletableFuture<Long> serverSawStop = new CompletableFuture<>();
        CompletableFuture<Long> serverSawReset = new CompletableFuture<>();
        WebSocketServer s = server(conn -> conn.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.onClosed(serverSawStop::complete);
                stream.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        data.release();
                    }

                    @Override
                    public void onFinish() {
                    }

                    @Override
                    public void onReset(long code) {
                        serverSawReset.complete(code);
                    }
                });
                stream.write(Unpooled.wrappedBuffer(pattern(10, 0)));
                stream.flush();
                stream.stopSending(9);
            }

            @Override
            public void onUniStream(RecvStream stream) {
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        }), QmuxSettings.defaults());
        MoqConnection c = connect(s, List.of("qmux-02.moq-lite-04"), QmuxSettings.defaults());
        CompletableFuture<Long> clientSawStop = new CompletableFuture<>();
        Collector clientReader = new Collector();
        BidiStream st = c.openBidi().get(WAIT, TimeUnit.SECONDS);
        c.eventLoop().submit(() -> {
            st.onClosed(clientSawStop::complete);
            st.setReader(clientReader);
            st.write(Unpooled.wrappedBuffer(pattern(100, 1)));
            st.flush();
        }).sync();
        assertEquals(9L, clientSawStop.get(WAIT, TimeUnit.SECONDS), "STOP_SENDING code reaches the sender");
        // The client answered STOP_SENDING with RESET_STREAM carrying the same code.
        assertEquals(9L, serverSawReset.get(WAIT, TimeUnit.SECONDS));
        c.eventLoop().submit(() -> st.stopSending(17)).sync();
        assertEquals(17L, serverSawStop.get(WAIT, TimeUnit.SECONDS));

        // A reset of a peer's stream reaches its reader with the code (the echo resets back with it).
        WebSocketServer echo = server(new EchoAcceptor(), QmuxSettings.defaults());
        MoqConnection c2 = connect(echo, List.of("qmux-00.moq-lite-04"), QmuxSettings.defaults());
        Collector back = new Collector();
        BidiStream st2 = c2.openBidi().get(WAIT, TimeUnit.SECONDS);
        c2.eventLoop().submit(() -> {
            st2.setReader(back);
            st2.write(Unpooled.wrappedBuffer(pattern(50, 2)));
            st2.flush();
            st2.reset(42);
        }).sync();
        assertEquals(42L, back.reset.get(WAIT, TimeUnit.SECONDS));
    }

    @Test
    void closeCarriesCodeAndReasonBothWays() throws Exception {
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, QmuxSettings.defaults());
        MoqConnection c = connect(s, List.of("qmux-01.moq-lite-04"), QmuxSettings.defaults());
        assertArrayEquals(pattern(10, 1), bidiEcho(c, pattern(10, 1)));
        c.close(77, "bye now");
        c.closeFuture().await(WAIT, TimeUnit.SECONDS);
        echo.connections.peek().closeFuture().await(WAIT, TimeUnit.SECONDS);
        assertEquals("77 bye now", echo.closes.peek());

        // Server-initiated close, on the legacy framing too.
        for (String offer : List.of("qmux-00", "webtransport", "qmux-02.moq-lite-04")) {
            EchoAcceptor e2 = new EchoAcceptor();
            WebSocketServer s2 = server(e2, QmuxSettings.defaults());
            MoqConnection c2 = connect(s2, List.of(offer), QmuxSettings.defaults());
            AtomicReference<String> seen = new AtomicReference<>();
            c2.eventLoop().submit(() -> c2.setHandler(closeRecorder(seen))).sync();
            assertArrayEquals(pattern(10, 2), bidiEcho(c2, pattern(10, 2)));
            e2.connections.peek().close(5, "server going away");
            assertTrue(c2.closeFuture().await(WAIT, TimeUnit.SECONDS));
            assertEquals("5 server going away", seen.get(), offer);
            assertFalse(c2.isOpen());
        }
    }

    private static ConnectionHandler closeRecorder(AtomicReference<String> seen) {
        return new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
            }

            @Override
            public void onUniStream(RecvStream stream) {
            }

            @Override
            public void onClosed(long code, String reason) {
                seen.set(code + " " + reason);
            }
        };
    }

    private static byte[] message(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf b = Unpooled.buffer();
        writer.accept(b);
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    private static byte[] params(long maxData, long stream, long streams) {
        return message(b -> {
            ByteBuf body = Unpooled.buffer();
            new TransportParameters(0, maxData, stream, stream, stream, streams, streams, 0, 16382).encode(body, WireVersion.QMUX_00);
            VarInt.write(b, FrameCodec.QX_TRANSPORT_PARAMETERS);
            VarInt.write(b, body.readableBytes());
            b.writeBytes(body);
            body.release();
        });
    }

    /** Reads frames until a CONNECTION_CLOSE arrives; returns its code. */
    private static long awaitTransportClose(RawPeer peer) throws Exception {
        for (int i = 0; i < 100; i++) {
            byte[] m = peer.received.poll(WAIT, TimeUnit.SECONDS);
            assertNotNull(m, "no CONNECTION_CLOSE");
            ByteBuf b = Unpooled.wrappedBuffer(m);
            Frame f = FrameCodec.decode(b, WireVersion.QMUX_00, false);
            if (f instanceof Frame.Stream st) {
                st.data().release();
            }
            if (f instanceof Frame.ConnectionClose c) {
                assertFalse(c.application(), "a protocol error is a transport close (0x1c)");
                return c.code();
            }
        }
        throw new AssertionError("no CONNECTION_CLOSE");
    }

    @Test
    void peerExceedingCreditIsAProtocolErrorThatSparesOtherConnections() throws Exception {
        QmuxSettings small = new QmuxSettings(1 << 20, 1000, 1000, 1000, 10, 10, 30_000, 1 << 20, 1 << 20);
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, small);
        MoqConnection good = connect(s, List.of("qmux-00.moq-lite-04"), QmuxSettings.defaults());
        try (RawPeer bad = new RawPeer(group, s.port(), "qmux-00")) {
            assertEquals("qmux-00", bad.subprotocol.get(WAIT, TimeUnit.SECONDS));
            bad.send(params(1 << 20, 1 << 20, 10));
            bad.send(message(b -> {
                VarInt.write(b, 0x0e);
                VarInt.write(b, 0); // client bidi stream 0
                VarInt.write(b, 0);
                VarInt.write(b, 1500);
                b.writeBytes(new byte[1500]); // beyond the 1000-byte stream window
            }));
            assertEquals(TransportError.FLOW_CONTROL_ERROR, awaitTransportClose(bad));
            assertTrue(bad.awaitClosed(WAIT * 1000));
        }
        for (int i = 0; i < 250 && echo.closes.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertTrue(echo.closes.stream().anyMatch(x -> x.startsWith("-1 protocol error 0x3")), echo.closes.toString());
        assertTrue(good.isOpen());
        assertArrayEquals(pattern(5000, 3), bidiEcho(good, pattern(5000, 3)));
    }

    @Test
    void streamsBeyondTheLimitAreAProtocolError() throws Exception {
        QmuxSettings small = new QmuxSettings(1 << 20, 1000, 1000, 1000, 2, 2, 30_000, 1 << 20, 1 << 20);
        WebSocketServer s = server(new EchoAcceptor(), small);
        try (RawPeer bad = new RawPeer(group, s.port(), "qmux-01")) {
            bad.subprotocol.get(WAIT, TimeUnit.SECONDS);
            bad.send(params(1 << 20, 1 << 20, 10));
            bad.send(message(b -> {
                VarInt.write(b, 0x0b);
                VarInt.write(b, 2 << 2); // client bidi index 2 with a limit of 2
                VarInt.write(b, 1);
                b.writeByte(1);
            }));
            assertEquals(TransportError.STREAM_LIMIT_ERROR, awaitTransportClose(bad));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "qmux-00, 0e00",          // STREAM with its offset missing
            "qmux-00, 1f",            // unknown frame type
            "qmux-00, 300102",        // DATAGRAM: qmux-00 advertises no max_datagram_frame_size
            "qmux-01, 0b0005ff",      // STREAM length beyond the message
            "qmux-02, 0b000101",      // a frame before QX_TRANSPORT_PARAMETERS
            "webtransport, 7f01",     // unknown legacy frame type
    })
    void malformedFramesCloseTheConnection(String offer, String hex) throws Exception {
        EchoAcceptor echo = new EchoAcceptor();
        WebSocketServer s = server(echo, QmuxSettings.defaults());
        try (RawPeer bad = new RawPeer(group, s.port(), offer)) {
            bad.subprotocol.get(WAIT, TimeUnit.SECONDS);
            if (!offer.equals("qmux-02") && !offer.equals("webtransport")) {
                bad.send(params(1 << 20, 1 << 20, 10));
            }
            bad.send(java.util.HexFormat.of().parseHex(hex));
            assertTrue(bad.awaitClosed(WAIT * 1000), "the server closes the socket");
        }
        for (int i = 0; i < 100 && echo.closes.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertTrue(echo.closes.peek().startsWith("-1 protocol error"), String.valueOf(echo.closes.peek()));
    }

    private static String body(HttpURLConnection conn) throws Exception {
        try (InputStream in = conn.getResponseCode() < 400 ? conn.getInputStream() : conn.getErrorStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesTheCertificateHashOverPlainHttpAndTls() throws Exception {
        WebSocketServer s = server(new EchoAcceptor(), QmuxSettings.defaults());
        HttpURLConnection plain = (HttpURLConnection) URI.create("http://127.0.0.1:" + s.port() + "/certificate.sha256").toURL().openConnection();
        assertEquals(200, plain.getResponseCode());
        assertEquals(cert.sha256Hex(), body(plain), "exactly the lowercase hex, no newline");
        assertEquals("*", plain.getHeaderField("Access-Control-Allow-Origin"));
        assertTrue(plain.getContentType().startsWith("text/plain"));
        HttpURLConnection missing = (HttpURLConnection) URI.create("http://127.0.0.1:" + s.port() + "/other").toURL().openConnection();
        assertEquals(404, missing.getResponseCode());
        body(missing);

        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        HttpsURLConnection secure = (HttpsURLConnection) URI.create("https://127.0.0.1:" + s.port() + "/certificate.sha256").toURL().openConnection();
        secure.setSSLSocketFactory(tls.getSocketFactory());
        secure.setHostnameVerifier((h, session) -> true);
        assertEquals(200, secure.getResponseCode());
        assertEquals(cert.leaf(), secure.getServerCertificates()[0]);
        assertEquals(cert.sha256Hex(), body(secure));
    }

    @Test
    void dialsWssWithAPinnedHashOrInsecurelyAndRefusesAWrongPin() throws Exception {
        WebSocketServer s = server(new EchoAcceptor(), QmuxSettings.defaults());
        URI uri = URI.create("wss://127.0.0.1:" + s.port() + "/secure");
        MoqConnection pinned = WebSocketClient.connect(uri, options(false, List.of(cert.sha256()))).get(WAIT, TimeUnit.SECONDS);
        clients.add(pinned);
        assertEquals("moq-lite-04", pinned.protocol());
        assertArrayEquals(pattern(2000, 5), bidiEcho(pinned, pattern(2000, 5)));
        MoqConnection insecure = WebSocketClient.connect(uri, options(true, List.of())).get(WAIT, TimeUnit.SECONDS);
        clients.add(insecure);
        assertArrayEquals(pattern(2000, 6), bidiEcho(insecure, pattern(2000, 6)));
        byte[] wrong = cert.sha256();
        wrong[0] ^= 1;
        assertThrows(ExecutionException.class,
                () -> WebSocketClient.connect(uri, options(false, List.of(wrong))).get(WAIT, TimeUnit.SECONDS));
        assertThrows(ExecutionException.class,
                () -> WebSocketClient.connect(uri, options(false, List.of())).get(WAIT, TimeUnit.SECONDS),
                "a self-signed certificate is not trusted by the system store");
    }
}
