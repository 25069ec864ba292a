package dev.jmoq.transport.quic;

import static dev.jmoq.transport.TestStreams.pump;
import static dev.jmoq.transport.TestStreams.readUniStreamsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.tls.ServerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Raw QUIC against itself on loopback: ALPN choice, bidi echo with FIN, uni streams both ways, large
 * transfers that outgrow the flow-control windows, reset codes, close codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuicTransportTest {
    private QuicServer server;
    private EventLoopGroup clientGroup;
    private final CompletableFuture<String> serverSawProtocol = new CompletableFuture<>();
    private final CompletableFuture<Long> serverSawClose = new CompletableFuture<>();
    /** Each accepted connection's remote (the client's UDP socket) address. */
    private final java.util.Queue<java.net.SocketAddress> serverSawRemotes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Each accepted connection, newest last. */
    private final java.util.concurrent.LinkedBlockingDeque<MoqConnection> serverSawConnections = new java.util.concurrent.LinkedBlockingDeque<>();

    /** Echo: a bidi stream is echoed back then finished at FIN; a uni stream is echoed on a new uni stream. */
    private void accept(MoqConnection c) {
        serverSawProtocol.complete(c.protocol());
        serverSawRemotes.add(c.remoteAddress());
        serverSawConnections.add(c);
        c.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream s) {
                s.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        s.write(data);
                        s.flush();
                    }

                    @Override
                    public void onFinish() {
                        s.finish();
                    }

                    @Override
                    public void onReset(long code) {
                        s.reset(code + 1000);
                    }
                });
            }

            @Override
            public void onUniStream(RecvStream s) {
                ByteBuf all = Unpooled.buffer();
                s.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        all.writeBytes(data);
                        data.release();
                    }

                    @Override
                    public void onFinish() {
                        c.openUni().addListener(f -> ((SendStream) f.getNow()).writeAndFinish(all));
                    }

                    @Override
                    public void onReset(long code) {
                        all.release();
                    }
                });
            }

            @Override
            public void onClosed(long code, String reason) {
                serverSawClose.complete(code);
            }
        });
    }

    @BeforeAll
    void start() {
        server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04", "moq-lite-03"),
                this::accept, 2, 30_000));
        clientGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterAll
    void stop() {
        server.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private MoqConnection connect(List<String> protocols) throws Exception {
        ClientOptions o = new ClientOptions(clientGroup, protocols, true, List.of(), 10_000);
        return QuicClient.connect(URI.create("moqt://127.0.0.1:" + server.port() + "/"), o).get(10, TimeUnit.SECONDS);
    }

    /** Collects a stream's bytes until FIN (completes with them) or reset (completes exceptionally). */
    private static final class Collect implements StreamReader {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        @Override
        public void onData(ByteBuf data) {
            byte[] b = new byte[data.readableBytes()];
            data.readBytes(b);
            data.release();
            bytes.writeBytes(b);
        }

        @Override
        public void onFinish() {
            done.complete(bytes.toByteArray());
        }

        @Override
        public void onReset(long code) {
            done.completeExceptionally(new IllegalStateException("reset " + code));
        }
    }

    @Test
    void theServersPreferredCommonAlpnIsChosen() throws Exception {
        MoqConnection c = connect(List.of("moq-lite-03", "moq-lite-04"));
        try {
            assertTrue(List.of("moq-lite-03", "moq-lite-04").contains(c.protocol()));
            assertEquals(c.protocol(), serverSawProtocol.get(10, TimeUnit.SECONDS));
        } finally {
            c.close(0, "done");
        }
    }

    /** Both ends send their FIN on its own after the data: the known lone-FIN case, run apart (pom.xml). */
    @Tag("lone-fin-flake")
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 1000, 100_000, 12_000_000})
    void bidiEchoesEveryByteAndFinishes(int size) throws Exception {
        MoqConnection c = connect(List.of("moq-lite-04"));
        try {
            byte[] payload = new byte[size];
            new Random(size).nextBytes(payload);
            Collect echo = new Collect();
            c.eventLoop().submit(() -> c.openBidi().addListener(f -> {
                BidiStream s = (BidiStream) f.getNow();
                s.setReader(echo);
                pump(s, payload, false);
            }));
            assertArrayEquals(payload, echo.done.get(60, TimeUnit.SECONDS));
        } finally {
            c.close(0, "done");
        }
    }

    @Test
    void manyConnectionsSpreadOverTheListenersAllWork() throws Exception {
        // The server runs two SO_REUSEPORT listeners; each connection must stay on the one that owns it.
        List<MoqConnection> conns = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                conns.add(connect(List.of("moq-lite-04")));
            }
            for (MoqConnection c : conns) {
                Collect echo = new Collect();
                c.eventLoop().submit(() -> c.openBidi().addListener(f -> {
                    BidiStream s = (BidiStream) f.getNow();
                    s.setReader(echo);
                    s.writeAndFinish(Unpooled.copiedBuffer("ping".getBytes()));
                }));
                assertEquals("ping", new String(echo.done.get(20, TimeUnit.SECONDS)));
            }
        } finally {
            for (MoqConnection c : conns) {
                c.close(0, "done");
            }
        }
    }

    private static String ping(MoqConnection c) throws Exception {
        Collect echo = new Collect();
        c.eventLoop().submit(() -> c.openBidi().addListener(f -> {
            BidiStream s = (BidiStream) f.getNow();
            s.setReader(echo);
            s.writeAndFinish(Unpooled.copiedBuffer("ping".getBytes()));
        }));
        return new String(echo.done.get(20, TimeUnit.SECONDS));
    }

    @Test
    void connectionsOfOneLoopShareItsFewUdpSocketsWhenAskedAndEachCarriesItsOwnStreams() throws Exception {
        ClientOptions shared = new ClientOptions(clientGroup, List.of("moq-lite-04"), true, List.of(), 10_000, true);
        URI uri = URI.create("moqt://127.0.0.1:" + server.port() + "/");
        serverSawRemotes.clear();
        int n = 2 * SharedSockets.PER_LOOP + 1;
        List<MoqConnection> conns = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                conns.add(QuicClient.connect(uri, shared).get(10, TimeUnit.SECONDS));
            }
            // One client loop: the server saw them come from PER_LOOP UDP addresses, not one per connection
            // (that is the sharing) and not a single one (which a SO_REUSEPORT server would put on one core).
            assertEquals(n, serverSawRemotes.size());
            assertEquals(SharedSockets.PER_LOOP, new java.util.HashSet<>(serverSawRemotes).size(), "remotes " + serverSawRemotes);
            for (MoqConnection c : conns) {
                assertEquals("ping", ping(c));
            }
            // Closing one connection leaves its socket to the others.
            conns.remove(0).close(0, "done");
            for (MoqConnection c : conns) {
                assertEquals("ping", ping(c));
            }
            // And a new one dialed afterwards joins one of the same sockets.
            conns.add(QuicClient.connect(uri, shared).get(10, TimeUnit.SECONDS));
            assertEquals("ping", ping(conns.get(conns.size() - 1)));
            assertEquals(SharedSockets.PER_LOOP, new java.util.HashSet<>(serverSawRemotes).size(), "remotes " + serverSawRemotes);
        } finally {
            for (MoqConnection c : conns) {
                c.close(0, "done");
            }
        }
    }

    @Test
    void aStreamNeverGivenAPriorityIsSentAtUrgencyZeroAheadOfRankedData() throws Exception {
        MoqConnection c = connect(List.of("moq-lite-04"));
        try {
            CompletableFuture<int[]> urgencies = new CompletableFuture<>();
            c.eventLoop().submit(() -> c.openUni().addListener(f1 -> c.openUni().addListener(f2 -> {
                QuicStream control = (QuicStream) f1.getNow();
                QuicStream data = (QuicStream) f2.getNow();
                data.setPriority(5);
                control.write(Unpooled.copiedBuffer("control".getBytes()));
                data.write(Unpooled.copiedBuffer("data".getBytes()));
                control.flush();
                data.flush();
                // quiche's own default (127, incremental) would leave the control stream behind the data.
                urgencies.complete(new int[] {control.channel().priority().urgency(),
                        data.channel().priority().urgency()});
                control.finish();
                data.finish();
            })));
            int[] u = urgencies.get(10, TimeUnit.SECONDS);
            assertEquals(0, u[0], "control stream");
            assertEquals(5, u[1], "ranked data stream keeps its rank");
        } finally {
            c.close(0, "done");
        }
    }

    /**
     * GSO ({@code jmoq.quic.gsoSegments}, off by default; the pom's {@code quic-switches} execution turns it
     * on) reaches both ends' QUIC connections exactly when asked for and the kernel has {@code UDP_SEGMENT};
     * the other tests of this class then run their transfers through it.
     */
    @Test
    void sendsUseGsoExactlyWhenSwitchedOn() throws Exception {
        String asked = System.getProperty("jmoq.quic.gsoSegments");
        if (asked != null) {
            assertEquals(Integer.parseInt(asked), QuicSettings.GSO_SEGMENTS, "the switch is read");
            org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable()
                    && io.netty.channel.epoll.EpollDatagramChannel.isSegmentedDatagramPacketSupported(),
                    "GSO asked for, but this kernel has no UDP_SEGMENT");
        }
        boolean expected = QuicSettings.GSO_SEGMENTS > 1 && io.netty.channel.epoll.Epoll.isAvailable()
                && io.netty.channel.epoll.EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        serverSawConnections.clear();
        MoqConnection c = connect(List.of("moq-lite-04"));
        try {
            MoqConnection atServer = serverSawConnections.poll(10, TimeUnit.SECONDS);
            assertTrue(atServer != null, "the server accepted the connection");
            for (MoqConnection end : List.of(c, atServer)) {
                var gso = ((QuicMoqConnection) end).channel().config()
                        .getOption(io.netty.handler.codec.quic.QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR);
                // Netty's NONE (0 segments) when off.
                assertEquals(expected ? QuicSettings.GSO_SEGMENTS : 0, gso == null ? 0 : gso.maxNumSegments(),
                        "GSO segments at " + end.remoteAddress());
            }
            assertEquals("ping", ping(c));
            // Megabytes each way on uni streams, the FIN with the last bytes: runs of full packets to one peer,
            // which is what GSO packs into one send. The server echoes the stream on a new uni stream.
            byte[] payload = new byte[3 << 20];
            new Random(7).nextBytes(payload);
            Collect back = new Collect();
            readUniStreamsWith(c, back);
            c.eventLoop().submit(() -> c.openUni().addListener(f -> pump((SendStream) f.getNow(), payload, true)));
            assertArrayEquals(payload, back.done.get(60, TimeUnit.SECONDS));
        } finally {
            c.close(0, "done");
        }
    }

    @Test
    void uniStreamsWorkBothWays() throws Exception {
        MoqConnection c = connect(List.of("moq-lite-04"));
        try {
            Collect back = new Collect();
            readUniStreamsWith(c, back);
            c.eventLoop().submit(() -> c.openUni().addListener(f ->
                    ((SendStream) f.getNow()).writeAndFinish(Unpooled.copiedBuffer("hello uni".getBytes()))));
            assertEquals("hello uni", new String(back.done.get(10, TimeUnit.SECONDS)));
        } finally {
            c.close(0, "done");
        }
    }

    @Test
    void aResetCodeReachesThePeer() throws Exception {
        MoqConnection c = connect(List.of("moq-lite-04"));
        try {
            Collect echo = new Collect();
            c.eventLoop().submit(() -> c.openBidi().addListener(f -> {
                BidiStream s = (BidiStream) f.getNow();
                s.setReader(echo);
                s.write(Unpooled.copiedBuffer("x".getBytes()));
                s.flush();
                s.reset(42);
            }));
            // The echo server answers a reset of 42 by resetting its side with 1042.
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> echo.done.get(10, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("reset 1042"), e.getMessage());
        } finally {
            c.close(0, "done");
        }
    }
}
