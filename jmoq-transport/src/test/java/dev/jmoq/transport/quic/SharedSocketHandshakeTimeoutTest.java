package dev.jmoq.transport.quic;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.transport.ClientOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.Future;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A dial on a shared UDP socket ({@link ClientOptions#shareUdpSockets()}) that times out must end its
 * half-open QUIC connection: the socket stays (other connections use it), so the connection is not ended
 * with it, and left alone it would go on sending Initial packets until its idle timeout (30 s) and could
 * still complete a handshake the caller has given up on.
 *
 * <p>Observed through the QUIC codec of the shared socket (Netty's {@code QuicheQuicCodec} keeps its
 * connections in a private {@code channels} set; read by reflection, test only).
 */
class SharedSocketHandshakeTimeoutTest {
    @Test
    void aTimedOutDialOnASharedSocketClosesItsConnection() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (DatagramSocket blackhole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            blackhole.setSoTimeout(10_000);
            ClientOptions options = new ClientOptions(group, List.of("moq-lite-04"), true, List.of(), 300, true);
            URI uri = URI.create("moqt://127.0.0.1:" + blackhole.getLocalPort() + "/");
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> QuicClient.connect(uri, options).get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failed.getCause());
            blackhole.receive(new DatagramPacket(new byte[2048], 2048)); // the client did send its Initial

            Channel udp = sharedSocket();
            // Positive signal: every connection the codec still holds is closed (or it holds none).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<QuicChannel> open;
            do {
                open = group.next().submit(() -> openConnections(udp)).get(10, TimeUnit.SECONDS);
                if (open.isEmpty()) {
                    break;
                }
                open.get(0).closeFuture().await(100, TimeUnit.MILLISECONDS);
            } while (System.nanoTime() < deadline);
            assertTrue(open.isEmpty(), "the timed-out dial's connection is still open: " + open);
            assertTrue(udp.isOpen(), "the shared socket stays for other connections");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @SuppressWarnings("unchecked")
    private static Channel sharedSocket() throws Exception {
        java.lang.reflect.Field f = SharedSockets.class.getDeclaredField("SOCKETS");
        f.setAccessible(true);
        Map<Object, Future<Channel>> sockets = (Map<Object, Future<Channel>>) f.get(null);
        assertTrue(sockets.size() == 1, "one shared socket: " + sockets);
        return sockets.values().iterator().next().getNow();
    }

    /** The codec's connections not closed yet. On the socket's loop. */
    private static List<QuicChannel> openConnections(Channel udp) throws Exception {
        Class<?> codecClass = Class.forName("io.netty.handler.codec.quic.QuicheQuicCodec");
        List<QuicChannel> open = new ArrayList<>();
        for (Map.Entry<String, ChannelHandler> e : udp.pipeline()) {
            if (codecClass.isInstance(e.getValue())) {
                java.lang.reflect.Field f = codecClass.getDeclaredField("channels");
                f.setAccessible(true);
                for (Object ch : (Set<?>) f.get(e.getValue())) {
                    if (((QuicChannel) ch).isOpen()) {
                        open.add((QuicChannel) ch);
                    }
                }
            }
        }
        return open;
    }
}
