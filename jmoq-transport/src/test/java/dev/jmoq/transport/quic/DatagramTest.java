package dev.jmoq.transport.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.transport.webtransport.WebTransportClient;
import dev.jmoq.transport.webtransport.WebTransportServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The datagram API on loopback, raw QUIC and WebTransport: both ends advertise datagrams, a server echoes
 * every datagram it receives, payloads come back byte for byte, and a payload beyond
 * {@link MoqConnection#maxDatagramSize()} is refused (and released) without being sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatagramTest {
    private QuicServer server;
    private EventLoopGroup clientGroup;

    private void accept(MoqConnection c) {
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
            public void onDatagram(ByteBuf datagram) {
                c.sendDatagram(datagram); // echo: ownership goes on
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        });
    }

    @BeforeAll
    void start() {
        server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moqt-20"), this::accept, 1, 30_000),
                new WebTransportServer());
        clientGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterAll
    void stop() {
        server.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private MoqConnection connect(String transport) throws Exception {
        ClientOptions o = new ClientOptions(clientGroup, List.of("moqt-20"), true, List.of(), 10_000);
        return switch (transport) {
            case "quic" -> QuicClient.connect(URI.create("moqt://127.0.0.1:" + server.port() + "/"), o).get(10, TimeUnit.SECONDS);
            default -> WebTransportClient.connect(URI.create("https://127.0.0.1:" + server.port() + "/wt"), o).get(10, TimeUnit.SECONDS);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"quic", "webtransport"})
    void datagramsEchoByteForByteAndOversizedOnesAreRefused(String transport) throws Exception {
        MoqConnection c = connect(transport);
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try {
            int max = c.eventLoop().submit(() -> {
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
                    public void onDatagram(ByteBuf datagram) {
                        received.add(ByteBufUtil.getBytes(datagram));
                        datagram.release();
                    }

                    @Override
                    public void onClosed(long code, String reason) {
                    }
                });
                return c.maxDatagramSize();
            }).get(5, TimeUnit.SECONDS);
            assertTrue(max >= 1000 && max <= QuicDatagrams.PATH_SAFE_PAYLOAD, "max datagram size " + max);
            byte[] small = {0x10, 1, 2, 3};
            byte[] full = new byte[max];
            for (int i = 0; i < full.length; i++) {
                full[i] = (byte) (i * 7 + 1);
            }
            ByteBuf oversized = Unpooled.directBuffer(max + 1).writeZero(max + 1);
            List<Boolean> sent = c.eventLoop().submit(() -> List.of(
                    c.sendDatagram(Unpooled.wrappedBuffer(small)),
                    c.sendDatagram(Unpooled.wrappedBuffer(full)),
                    c.sendDatagram(oversized))).get(5, TimeUnit.SECONDS);
            assertEquals(List.of(true, true, false), sent);
            assertEquals(0, oversized.refCnt(), "a refused datagram is released");
            // Loopback loses nothing in practice; order between two datagrams is not promised.
            byte[] a = received.poll(10, TimeUnit.SECONDS);
            byte[] b = received.poll(10, TimeUnit.SECONDS);
            byte[] first = a != null && a.length == small.length ? a : b;
            byte[] second = first == a ? b : a;
            assertArrayEquals(small, first);
            assertArrayEquals(full, second);
        } finally {
            c.close(0, "done");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"quic", "webtransport"})
    void aClosedConnectionRefusesDatagrams(String transport) throws Exception {
        MoqConnection c = connect(transport);
        c.close(0, "done");
        c.closeFuture().await(10, TimeUnit.SECONDS);
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {1, 2});
        assertFalse(c.eventLoop().submit(() -> c.sendDatagram(b)).get(5, TimeUnit.SECONDS));
        assertEquals(0, b.refCnt());
    }
}
