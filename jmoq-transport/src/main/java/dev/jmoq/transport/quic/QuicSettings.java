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
                .activeMigration(false);
    }
}
