package dev.jmoq.transport.webtransport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.testkit.Await;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.TransportStats.HandshakeStage;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.transport.quic.QuicServer;
import dev.jmoq.transport.tls.ServerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebTransport sessions and short idle timeouts: a quiet session is kept open by the server's keep-alive
 * (a reserved HTTP/3 frame on its control stream every third of the idle timeout), and a QUIC connection
 * with ALPN h3 that never sends its extended CONNECT is closed after the handshake timeout and counted.
 */
class WebTransportLivenessTest {
    private static final long IDLE_MILLIS = 600;

    private final TransportStats stats = new TransportStats();
    private final Queue<MoqConnection> accepted = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<String> serverSawClose = new CompletableFuture<>();
    private EventLoopGroup group;
    private QuicServer server;

    @BeforeEach
    void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void start(long idleMillis, long handshakeMillis) {
        ServerOptions options = new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> {
                    accepted.add(c);
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
                                    s.reset(code);
                                }
                            });
                        }

                        @Override
                        public void onUniStream(RecvStream s) {
                            s.stopSending(0);
                        }

                        @Override
                        public void onClosed(long code, String reason) {
                            serverSawClose.complete(code + " " + reason);
                        }
                    });
                }, 1, idleMillis).withBounds(handshakeMillis, 100, stats);
        server = QuicServer.start(options, new WebTransportServer());
    }

    private ClientOptions client() {
        return new ClientOptions(group, List.of("moq-lite-04"), true, List.of(), 10_000);
    }

    @Test
    void aQuietSessionOutlivesSeveralIdleTimeoutsOnTheServersKeepAlive() throws Exception {
        start(IDLE_MILLIS, 30_000);
        // The client offers a 30 s idle timeout and keeps alive every 10 s: within the test only the
        // server's keep-alive travels, and the connection's idle timeout is the server's 600 ms.
        MoqConnection c = WebTransportClient.connect(URI.create("https://127.0.0.1:" + server.port() + "/quiet"), client())
                .get(10, TimeUnit.SECONDS);
        try {
            c.setHandler(new ConnectionHandler() {
                @Override
                public void onBidiStream(BidiStream s) {
                    s.reset(0);
                }

                @Override
                public void onUniStream(RecvStream s) {
                    s.stopSending(0);
                }

                @Override
                public void onClosed(long code, String reason) {
                }
            });
            Await.until("nine keep-alives (three idle timeouts)", () -> stats.keepAlives(TransportKind.WEBTRANSPORT) >= 9);
            assertTrue(c.isOpen(), "the client's session is open");
            assertTrue(accepted.peek().isOpen(), "the server's session is open");
            assertTrue(!serverSawClose.isDone(), "the server did not close the session: " + serverSawClose.getNow(""));
            // And it still carries data.
            BidiStream s = c.openBidi().get(5, TimeUnit.SECONDS);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            c.eventLoop().submit(() -> {
                s.setReader(new StreamReader() {
                    private final ByteBuf got = Unpooled.buffer();

                    @Override
                    public void onData(ByteBuf data) {
                        got.writeBytes(data);
                        data.release();
                        if (got.readableBytes() == 3) {
                            echoed.complete(ByteBufUtil.getBytes(got));
                            got.release();
                        }
                    }

                    @Override
                    public void onFinish() {
                    }

                    @Override
                    public void onReset(long code) {
                        echoed.completeExceptionally(new IllegalStateException("reset " + code));
                    }
                });
                s.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
                s.flush();
            });
            assertArrayEquals(new byte[] {1, 2, 3}, echoed.get(10, TimeUnit.SECONDS));
        } finally {
            c.close(0, "done");
        }
    }

    @Test
    void anH3ConnectionThatNeverSendsConnectIsClosed() throws Exception {
        start(30_000, 300);
        QuicChannel ch = QuicClient.dial(URI.create("https://127.0.0.1:" + server.port() + "/"), client(), List.of("h3"),
                group.next(), new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS);
        assertTrue(ch.closeFuture().await(20, TimeUnit.SECONDS), "the server closed the connection");
        assertEquals(1, stats.handshakeTimeouts(HandshakeStage.WEBTRANSPORT_CONNECT));
        assertTrue(accepted.isEmpty());
    }
}
