package dev.jmoq.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.tls.ServerCertificate;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay's UDP sockets ask for {@link QuicSettings#SOCKET_BUFFER}: with the kernel's default (208 KiB)
 * a fan-out burst of ACKs overflowed the socket and the drops became QUIC losses (docs/perf/fanout.md); and
 * each read takes {@link QuicSettings#MAX_MESSAGES_PER_READ} datagrams, into a buffer sized for the
 * {@code recvmmsg} batch when that switch is on (the pom's {@code quic-switches} execution turns it on).
 */
class QuicSocketBufferTest {
    @Test
    void theUdpSocketsGetTheReceiveBufferAskedForUpToTheKernelsCap() throws Exception {
        Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        assumeTrue(Files.isReadable(rmemMax), "Linux only: the kernel's cap is read from " + rmemMax);
        // (readString gives a truncated read of this procfs file on some kernels; read it by lines)
        long cap = Long.parseLong(Files.readAllLines(rmemMax).get(0).trim());
        try (QuicServer server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> c.close(0, "no"),
                2, 5000))) {
            // Linux doubles the request (for its bookkeeping) after capping it at rmem_max.
            assertEquals(2 * Math.min(QuicSettings.SOCKET_BUFFER, cap), server.udpReceiveBufferBytes());
        }
    }

    @ParameterizedTest(name = "{0} event loops")
    @ValueSource(ints = {1, 2})
    void eachReadOfEveryUdpSocketTakesManyDatagramsNotNettys16(int loops) {
        // 16 left a publisher's packets queued behind megabytes of ACKs at 1000 subscribers (docs/perf/fanout.md).
        assertTrue(QuicSettings.MAX_MESSAGES_PER_READ > 16, "the default must read more than Netty's 16");
        try (QuicServer server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> c.close(0, "no"),
                loops, 5000))) {
            List<ChannelConfig> sockets = server.udpSocketConfigs();
            assertTrue(sockets.size() >= 1);
            for (ChannelConfig c : sockets) {
                assertEquals(QuicSettings.MAX_MESSAGES_PER_READ,
                        ((MaxMessagesRecvByteBufAllocator) c.getRecvByteBufAllocator()).maxMessagesPerRead());
            }
        }
    }

    @ParameterizedTest(name = "{0} event loops")
    @ValueSource(ints = {1, 2})
    void eachReadBufferHoldsTheRecvmmsgBatchExactlyWhenSwitchedOn(int loops) {
        String asked = System.getProperty("jmoq.quic.recvmmsg");
        if (asked != null) {
            assertEquals(Math.min(64, Integer.parseInt(asked)), QuicSettings.RECVMMSG, "the switch is read");
        }
        int slots = QuicSettings.RECVMMSG > 1 && Epoll.isAvailable() ? QuicSettings.RECVMMSG : 1;
        try (QuicServer server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> c.close(0, "no"),
                loops, 5000))) {
            List<ChannelConfig> sockets = server.udpSocketConfigs();
            assertTrue(sockets.size() >= 1);
            for (ChannelConfig c : sockets) {
                assertEquals(2048 * slots, c.getRecvByteBufAllocator().newHandle().guess());
                // Netty's epoll reads with recvmmsg only when a datagram's maximum size is set as well.
                assertEquals(slots > 1 ? 2048 : 0, c instanceof EpollDatagramChannelConfig e ? e.getMaxDatagramPayloadSize() : 0);
            }
        }
    }
}
