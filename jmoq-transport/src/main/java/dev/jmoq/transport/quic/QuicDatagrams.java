package dev.jmoq.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicTransportParameters;

/**
 * QUIC DATAGRAM frames (RFC 9221) on a Netty QUIC channel, shared by raw QUIC and WebTransport: how large a
 * payload may be, sending one, and telling the raw-QUIC keep-alive apart from application datagrams.
 *
 * <p>Both ends enable datagrams ({@link QuicSettings#DATAGRAM_QUEUE}), so a jmoq peer always advertises
 * {@code max_datagram_frame_size}; a peer that did not advertise it has {@code maxDatagramFrameSize() == 0}
 * and gets none. Event-loop confined, like the channel.
 */
public final class QuicDatagrams {
    /**
     * The largest payload that fits one packet whatever the path: QUIC's minimum UDP payload (1200 bytes,
     * RFC 9000 section 14) less a short header with a 20-byte connection id, a 4-byte packet number and the
     * 16-byte AEAD tag (41 bytes) and the DATAGRAM frame's type and 2-byte length (3 bytes).
     */
    public static final int PATH_SAFE_PAYLOAD = 1200 - 41 - 3;
    /** DATAGRAM frame type and a length of up to 2 bytes: what {@code max_datagram_frame_size} counts besides the payload. */
    private static final int FRAME_OVERHEAD = 3;

    private QuicDatagrams() {
    }

    /** The largest datagram payload {@code channel}'s peer accepts, in bytes; 0 when it negotiated none. */
    public static int maxPayload(QuicChannel channel) {
        if (!channel.isActive()) {
            return 0;
        }
        QuicTransportParameters peer = channel.peerTransportParameters();
        if (peer == null) {
            return 0;
        }
        // Netty 4.2.18's quiche binding fills the last fields of QuicTransportParameters one slot off:
        // activeConnIdLimit() carries the peer's max_datagram_frame_size and maxDatagramFrameSize() its
        // disable_active_migration flag (measured: a quiche peer with datagrams on and active migration off
        // reads 65536 and 1, Chromium 156 reads 65536 and 0). The larger of the two is the limit under that
        // binding and under a corrected one; a value too small for any payload means none. quiche itself
        // drops a datagram beyond the peer's real limit, so a wrong guess costs a lost datagram, never a
        // protocol error.
        long frame = Math.max(peer.maxDatagramFrameSize(), peer.activeConnIdLimit());
        return frame <= FRAME_OVERHEAD ? 0 : (int) Math.min(PATH_SAFE_PAYLOAD, frame - FRAME_OVERHEAD);
    }

    /** Queues {@code payload} as one DATAGRAM frame and flushes; takes ownership. The caller checked the size. */
    public static void send(QuicChannel channel, ByteBuf payload) {
        channel.writeAndFlush(payload); // a failed send (connection closing) is a lost datagram: nothing to report
    }

    /**
     * True for the raw-QUIC keep-alive ({@link QuicKeepAlive}: one zero byte). No MoQ datagram is that short:
     * an IETF OBJECT_DATAGRAM has at least a type, a track alias and a group id, a moq-lite datagram a
     * subscribe id, a group and a frame.
     */
    public static boolean isKeepAlive(ByteBuf datagram) {
        return datagram.readableBytes() == 1 && datagram.getByte(datagram.readerIndex()) == 0;
    }
}
