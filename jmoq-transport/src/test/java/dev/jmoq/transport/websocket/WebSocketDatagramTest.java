package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.testkit.Await;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DATAGRAM frames on qmux (draft-ietf-quic-qmux-01/02, "Unreliable Datagram Extension"): on the record
 * framings both ends advertise {@code max_datagram_frame_size}, datagrams echo byte for byte, one too large
 * for the peer's limit is refused; qmux-00 and the legacy framing advertise none and carry none; the frame a
 * raw peer reads is RFC 9221's 0x31 with its Length, and both 0x30 and 0x31 are read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketDatagramTest {
    private static final List<String> ALPNS = List.of("moq-lite-04");
    private EventLoopGroup group;
    private WebSocketServer server;
    private final EchoAcceptor echo = new EchoAcceptor();

    @BeforeAll
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = WebSocketServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost", "127.0.0.1")), ALPNS, echo, 1, 30_000),
                QmuxSettings.defaults());
    }

    @AfterAll
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private MoqConnection connect(String offer, BlockingQueue<byte[]> received) throws Exception {
        MoqConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                new ClientOptions(group, ALPNS, false, List.of(), 5000), QmuxSettings.defaults(), List.of(offer))
                .get(10, TimeUnit.SECONDS);
        c.eventLoop().submit(() -> c.setHandler(new ConnectionHandler() {
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
        })).get(5, TimeUnit.SECONDS);
        return c;
    }

    private static int maxSize(MoqConnection c) throws Exception {
        return c.eventLoop().submit(c::maxDatagramSize).get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qmux-02.moq-lite-04", "qmux-01.moq-lite-04"})
    void recordFramingsCarryDatagramsBothWays(String offer) throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        MoqConnection c = connect(offer, received);
        try {
            Await.until("the server's transport parameters arrived", () -> {
                try {
                    return maxSize(c) > 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int max = maxSize(c);
            assertEquals(16382 - 3, max, "the server's limit, a whole record, less type and Length");
            byte[] small = {0x10, 1, 2, 3};
            byte[] full = new byte[max];
            for (int i = 0; i < full.length; i++) {
                full[i] = (byte) (i * 7 + 1);
            }
            ByteBuf oversized = Unpooled.buffer(max + 1).writeZero(max + 1);
            List<Boolean> sent = c.eventLoop().submit(() -> List.of(
                    c.sendDatagram(Unpooled.wrappedBuffer(small)),
                    c.sendDatagram(Unpooled.wrappedBuffer(full)),
                    c.sendDatagram(oversized))).get(5, TimeUnit.SECONDS);
            assertEquals(List.of(true, true, false), sent);
            assertEquals(0, oversized.refCnt(), "a refused datagram is released");
            // qmux delivers in order and reliably: both come back, in order.
            assertArrayEquals(small, received.poll(10, TimeUnit.SECONDS));
            assertArrayEquals(full, received.poll(10, TimeUnit.SECONDS));
        } finally {
            c.close(0, "done");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qmux-00.moq-lite-04", "webtransport.moq-lite-04"})
    void qmux00AndTheLegacyFramingHaveNone(String offer) throws Exception {
        MoqConnection c = connect(offer, new LinkedBlockingQueue<>());
        try {
            // A stream round trip first: by then the server's parameters (if any) have arrived.
            BidiStream s = (BidiStream) c.eventLoop().submit(() -> c.openBidi()).get(5, TimeUnit.SECONDS)
                    .get(10, TimeUnit.SECONDS);
            WebSocketTransportTest.Collector back = new WebSocketTransportTest.Collector();
            c.eventLoop().submit(() -> {
                s.setReader(back);
                s.writeAndFinish(Unpooled.wrappedBuffer(new byte[] {7}));
            }).get(5, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {7}, back.done.get(10, TimeUnit.SECONDS));
            assertEquals(0, maxSize(c));
            ByteBuf b = Unpooled.wrappedBuffer(new byte[] {1, 2});
            assertFalse(c.eventLoop().submit(() -> c.sendDatagram(b)).get(5, TimeUnit.SECONDS));
            assertEquals(0, b.refCnt());
        } finally {
            c.close(0, "done");
        }
    }

    private static byte[] params(boolean datagrams) {
        ByteBuf body = Unpooled.buffer();
        new TransportParameters(0, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 10, 10, datagrams ? 16382 : 0, 16382)
                .encode(body, WireVersion.QMUX_01);
        ByteBuf b = Unpooled.buffer();
        VarInt.write(b, FrameCodec.QX_TRANSPORT_PARAMETERS);
        VarInt.write(b, body.readableBytes());
        b.writeBytes(body);
        body.release();
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    /** The next DATAGRAM frame the raw peer reads, as hex, skipping other frames. */
    private static String nextDatagram(RawPeer peer) throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] m = peer.received.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no DATAGRAM within 10 s");
            String hex = HexFormat.of().formatHex(m);
            if (hex.startsWith("30") || hex.startsWith("31")) {
                return hex;
            }
        }
        throw new AssertionError("no DATAGRAM frame");
    }

    @Test
    void theWireFramesAreRfc9221s() throws Exception {
        try (RawPeer peer = new RawPeer(group, server.port(), "qmux-01")) {
            assertEquals("qmux-01", peer.subprotocol.get(10, TimeUnit.SECONDS));
            peer.send(params(true));
            peer.send(HexFormat.of().parseHex("3103aabbcc")); // with a Length
            assertEquals("3103aabbcc", nextDatagram(peer), "echoed as 0x31, Length 3");
            peer.send(HexFormat.of().parseHex("30ddeeff")); // to the end of the record
            assertEquals("3103ddeeff", nextDatagram(peer));
        }
    }
}
