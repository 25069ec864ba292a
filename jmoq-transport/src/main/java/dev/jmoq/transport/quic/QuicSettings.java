package dev.jmoq.transport.quic;

import io.netty.handler.codec.quic.QuicCodecBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Transport parameters shared by the server and client codecs. Flow-control windows are sized for
 * media: a stream window holds a few large frames, the connection window several streams in flight.
 * quiche raises MAX_STREAMS as streams complete, so the stream limits bound concurrency, not lifetime: a
 * server advertises the configured {@code limits.streams_per_session} there, a peer opening more is held
 * back by QUIC flow control (and one that ignores it is closed by quiche with STREAM_LIMIT_ERROR).
 */
final class QuicSettings {
    static final long MAX_DATA = 16L << 20;
    static final long MAX_STREAM_DATA = 4L << 20;
    static final long MAX_STREAMS = 1000;
    /** Datagram queue lengths; enabling them advertises max_datagram_frame_size (WebTransport needs it). */
    static final int DATAGRAM_QUEUE = 256;

    // Tuning knobs, read once at start (system properties; docs/perf/fanout.md has the measurements behind
    // the defaults). Each keeps quiche's or Netty's own behaviour at its neutral value.
    /** UDP GSO: packets of one connection sent as one segmented datagram of at most this many (0: off). */
    static final int GSO_SEGMENTS = Integer.getInteger("jmoq.quic.gsoSegments", 0);
    /** Codec flushes merged per event-loop pass before the UDP socket is flushed anyway (server). */
    static final int FLUSH_BATCH = Integer.getInteger("jmoq.quic.flushBatch", 32);
    /**
     * SO_RCVBUF and SO_SNDBUF asked for every QUIC UDP socket, bytes (0: the kernel's default). The kernel
     * caps the request at {@code net.core.rmem_max} / {@code wmem_max}. A relay socket takes the ACKs of
     * every subscriber and the publishers' data; with Linux's default of 208 KiB a fan-out burst overflowed
     * it (10 % of datagrams dropped at 1000 subscribers), and each drop is a QUIC loss that shrinks a
     * publisher's congestion window. See docs/perf/fanout.md.
     */
    static final int SOCKET_BUFFER = Integer.getInteger("jmoq.quic.socketBufferBytes", 8 << 20);
    /**
     * Datagrams a UDP socket's read takes before its event loop turns to its tasks (Netty's default for
     * datagram channels is 16); a read also ends when the socket is empty. Under load a relay's loop
     * alternates between reading (the subscribers' ACKs and the publishers' data share a socket, in arrival
     * order) and its tasks (the fan-out). With 16 the socket's backlog grew to megabytes at 1000 raw-QUIC
     * subscribers and a publisher's packets waited behind it; loss and latency fell at 256, again at 1024 and
     * again at 4096 (docs/perf/fanout.md, "Reading the socket"). With NIO the datagrams of one read are
     * collected before the first is handed on; with epoll each goes on as it is read.
     */
    static final int MAX_MESSAGES_PER_READ = Integer.getInteger("jmoq.quic.maxMessagesPerRead", 4096);
    /**
     * With epoll, read up to this many datagrams with one {@code recvmmsg} call (0 or 1: one
     * {@code recvmsg} per datagram, Netty's default; at most 64). Off: 8 measured no better at 1000
     * subscribers.
     */
    static final int RECVMMSG = Math.min(64, Integer.getInteger("jmoq.quic.recvmmsg", 0));
    /** Our max_ack_delay transport parameter, milliseconds (quiche's default is 25). */
    static final long MAX_ACK_DELAY_MILLIS = Long.getLong("jmoq.quic.maxAckDelayMillis", 25);

    private QuicSettings() {
    }

    /** @param maxStreams peer-initiated streams of each direction open at once ({@code initial_max_streams_*}) */
    static <B extends QuicCodecBuilder<B>> B apply(B builder, long idleTimeoutMillis, long maxStreams) {
        return builder
                .maxIdleTimeout(idleTimeoutMillis, TimeUnit.MILLISECONDS)
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA)
                .initialMaxStreamDataUnidirectional(MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(maxStreams)
                .initialMaxStreamsUnidirectional(maxStreams)
                .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE)
                .maxAckDelay(MAX_ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS)
                .activeMigration(false);
    }

    /**
     * Applies {@link #SOCKET_BUFFER}, {@link #MAX_MESSAGES_PER_READ} and {@link #RECVMMSG} (epoll only) to a
     * UDP socket's bootstrap; {@code epoll}: the bootstrap makes an epoll channel.
     */
    static io.netty.bootstrap.Bootstrap udpSocketOptions(io.netty.bootstrap.Bootstrap bootstrap, boolean epoll) {
        if (SOCKET_BUFFER > 0) {
            bootstrap.option(io.netty.channel.ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .option(io.netty.channel.ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
        }
        // One read buffer holds `slots` datagrams of up to 2 KiB (Netty's datagram default is one).
        int slots = RECVMMSG > 1 && epoll ? RECVMMSG : 1;
        if (slots > 1) {
            bootstrap.option(io.netty.channel.epoll.EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048);
        }
        return bootstrap.option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR,
                new io.netty.channel.FixedRecvByteBufAllocator(2048 * slots).maxMessagesPerRead(Math.max(1, MAX_MESSAGES_PER_READ)));
    }

    /**
     * The GSO packet allocator for connections on an epoll datagram socket, or null when GSO is off or the
     * kernel lacks it ({@code UDP_SEGMENT}).
     */
    static io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator segmentedAllocator(boolean epoll) {
        if (GSO_SEGMENTS <= 1 || !epoll || !io.netty.channel.epoll.EpollDatagramChannel.isSegmentedDatagramPacketSupported()) {
            return null;
        }
        return io.netty.handler.codec.quic.EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS);
    }
}
