package dev.jmoq.transport.websocket;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;

/**
 * The outbound half of one qmux connection: STREAM frames (our header plus the stream's payload slice, one
 * frame per binary WebSocket message, counted against connection flow control), control frames sent at once
 * ahead of queued stream data, the keep-alive probe, and the largest STREAM payload one frame may carry under the peer's record
 * size and the released polyfills' limit.
 *
 * <p>Concurrency: confined to the connection's event loop. Buffers: {@link #writeStreamFrame} takes ownership
 * of the payload it is given.
 */
final class QmuxOutbound {
    /** Released polyfills reject STREAM payloads above this (16384 - 32), whatever the negotiated limits. */
    static final int COMPAT_MAX_PAYLOAD = 16352;

    private final QmuxConnection conn;
    private final Channel channel;
    private final WireVersion wire;
    private final ConnectionFlow flow;
    private long peerMaxRecordSize = TransportParameters.DEFAULTS.maxRecordSize();
    private long nextPing;

    QmuxOutbound(QmuxConnection conn, Channel channel, WireVersion wire, ConnectionFlow flow) {
        this.conn = conn;
        this.channel = channel;
        this.wire = wire;
        this.flow = flow;
    }

    /** The peer's transport parameters arrived: its record size bounds our frames (qmux-01 and later). */
    void onPeerParameters(TransportParameters params) {
        peerMaxRecordSize = params.maxRecordSize();
    }

    /** Writes one STREAM frame: our header plus the payload slice, which this takes ownership of. */
    void writeStreamFrame(long id, long offset, ByteBuf data, boolean fin) {
        int n = data.readableBytes();
        ByteBuf header = FrameCodec.streamHeader(channel.alloc(), wire, id, offset, n, fin);
        CompositeByteBuf message = channel.alloc().compositeBuffer(2);
        message.addComponents(true, header, data);
        flow.onSent(n);
        channel.write(new BinaryWebSocketFrame(message));
    }

    /** Sends a control frame at once, ahead of queued stream data. */
    void sendControl(Frame frame) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(channel.alloc(), frame, wire, conn.legacyClose())));
    }

    /** A keep-alive: QX_PING on the framings that have one (qmux-01/02), else a WebSocket ping. */
    void probe() {
        if (wire.usesRecords()) {
            sendControl(new Frame.Ping(true, nextPing++)); // the framing's own keep-alive
        } else if (channel.isActive()) {
            channel.writeAndFlush(new PingWebSocketFrame()); // the framing has none: WebSocket's
        }
    }

    /** Largest STREAM payload for one frame of {@code id} at {@code offset}. */
    int maxPayload(long id, long offset) {
        long budget = wire.usesRecords() ? Math.min(peerMaxRecordSize, Integer.MAX_VALUE) : QmuxConnection.MAX_FRAME_SIZE;
        int header = wire.isQmux() ? 1 + VarInt.size(id) + VarInt.size(offset) + 2 : 1 + VarInt.size(id);
        return (int) Math.min(COMPAT_MAX_PAYLOAD, budget - header);
    }
}
