package dev.jmoq.transport.websocket;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

/**
 * DATAGRAM frames on one qmux connection (draft-ietf-quic-qmux-01/02, "Unreliable Datagram Extension":
 * RFC 9221's frames, negotiated by {@code max_datagram_frame_size}), the record framings only: qmux-00 and
 * the legacy {@code webtransport} framing advertise nothing and carry none, as {@code @moq/qmux} 0.3.3 does.
 *
 * <ul>
 *   <li>Receive: we advertise {@link #MAX_FRAME_SIZE}; a DATAGRAM larger than that, or on a framing where we
 *       advertised nothing, is a PROTOCOL_VIOLATION (RFC 9221 section 3); others go to the connection's
 *       handler, or are dropped while there is none.</li>
 *   <li>Send: only once the peer advertised {@code max_datagram_frame_size}; a frame (type 0x31, Length,
 *       payload; one per message) at most the smaller of that and the peer's {@code max_record_size}
 *       ("the bound is the peer's max_record_size"). A datagram is dropped, not queued, while the socket is
 *       not writable: qmux delivers what it writes reliably and in order, so a datagram behind a backlog
 *       would arrive late, and "senders can drop DATAGRAM frames if the transport is blocked".</li>
 * </ul>
 *
 * <p>Concurrency: confined to the connection's event loop. Buffers: {@link #send} takes ownership of the
 * payload; {@link #onDatagram} of the frame's data.
 */
final class QmuxDatagrams {
    /**
     * The largest DATAGRAM frame we accept, advertised as {@code max_datagram_frame_size} on qmux-01/02: a
     * whole record of the default size, as the draft suggests in place of RFC 9221's 65535.
     */
    static final long MAX_FRAME_SIZE = TransportParameters.DEFAULT_MAX_RECORD_SIZE;
    /** DATAGRAM type 0x31 and the shortest Length: a limit this small carries no payload. */
    private static final int FRAME_OVERHEAD = 2;

    private final Channel channel;
    private final WireVersion wire;
    private final TransportParameters local;
    private final PeerStreamHandoff handoff;
    /** The largest payload the peer accepts; 0 until its parameters say it takes datagrams. */
    private int peerMaxPayload;

    QmuxDatagrams(Channel channel, WireVersion wire, TransportParameters local, PeerStreamHandoff handoff) {
        this.channel = channel;
        this.wire = wire;
        this.local = local;
        this.handoff = handoff;
    }

    /** The peer's transport parameters arrived: whether, and how large, it takes DATAGRAM frames. */
    void onPeerParameters(TransportParameters params) {
        if (!wire.usesRecords() || params.maxDatagramFrameSize() <= FRAME_OVERHEAD) {
            peerMaxPayload = 0;
            return;
        }
        long frame = Math.min(Math.min(params.maxDatagramFrameSize(), params.maxRecordSize()), Integer.MAX_VALUE);
        peerMaxPayload = (int) frame - 1 - VarInt.size(frame); // type 0x31 and a Length no longer than the frame's
    }

    /** The largest payload {@link #send} takes now; 0 when the peer takes none or the connection is down. */
    int maxPayload() {
        return channel.isActive() ? peerMaxPayload : 0;
    }

    /** Sends one DATAGRAM frame; false (and released) when too large, not negotiated, or the socket is backed up. */
    boolean send(ByteBuf payload) {
        int size = payload.readableBytes();
        if (size == 0 || size > maxPayload() || !channel.isWritable()) {
            payload.release();
            return false;
        }
        CompositeByteBuf message = channel.alloc().compositeBuffer(2);
        message.addComponents(true, FrameCodec.datagramHeader(channel.alloc(), size), payload);
        channel.writeAndFlush(new BinaryWebSocketFrame(message));
        return true;
    }

    /** A DATAGRAM frame arrived; takes ownership of its data. */
    void onDatagram(Frame.Datagram d) throws ProtocolException {
        long advertised = wire.usesRecords() ? local.maxDatagramFrameSize() : 0;
        if (d.frameSize() > advertised) {
            d.data().release();
            throw new ProtocolException(TransportError.PROTOCOL_VIOLATION, advertised == 0
                    ? "DATAGRAM without max_datagram_frame_size"
                    : "DATAGRAM frame of " + d.frameSize() + " bytes over our max_datagram_frame_size " + advertised, true);
        }
        handoff.datagram(d.data());
    }
}
