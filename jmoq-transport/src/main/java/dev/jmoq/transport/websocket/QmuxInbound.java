package dev.jmoq.transport.websocket;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The inbound half of one qmux connection: bounds each binary WebSocket message, decodes its frames
 * ({@link FrameCodec}) and dispatches them: STREAM, RESET_STREAM and STOP_SENDING to their stream (a peer
 * stream named for the first time is opened, as QUIC does, and handed to the session once it exists);
 * MAX_DATA, MAX_STREAM_DATA and MAX_STREAMS to the flow and stream-count state; the peer's transport
 * parameters (once, and first on qmux-02); PING answered; DATAGRAM to {@link QmuxDatagrams}; CONNECTION_CLOSE
 * to the connection. A frame that
 * breaks the framing throws {@link ProtocolException} with the transport error code, which closes the
 * connection.
 *
 * <p>Concurrency: confined to the connection's event loop. Buffers: the message stays the caller's; STREAM
 * payloads are retained slices handed to their stream, or released here when no stream takes them.
 */
final class QmuxInbound {
    private final QmuxConnection conn;
    private final WireVersion wire;
    private final TransportParameters local;
    private final StreamTable table;
    private final ConnectionFlow flow;
    private final SendScheduler scheduler;
    private final QmuxDatagrams datagrams;
    private boolean paramsReceived;
    private boolean firstFrameSeen;

    QmuxInbound(QmuxConnection conn, WireVersion wire, TransportParameters local, StreamTable table,
            ConnectionFlow flow, SendScheduler scheduler, QmuxDatagrams datagrams) {
        this.conn = conn;
        this.wire = wire;
        this.local = local;
        this.table = table;
        this.flow = flow;
        this.scheduler = scheduler;
        this.datagrams = datagrams;
    }

    /** Whether the peer's transport parameters arrived. */
    boolean paramsReceived() {
        return paramsReceived;
    }

    /** One binary WebSocket message: one frame on the legacy framing, one or more on qmux. */
    void onMessage(ByteBuf message) {
        if (!message.isReadable()) {
            conn.protocolError(TransportError.FRAME_ENCODING_ERROR, "empty message");
            return;
        }
        int size = message.readableBytes();
        if ((wire == WireVersion.QMUX_00 && size > QmuxConnection.MAX_FRAME_SIZE)
                || (wire.usesRecords() && size > local.maxRecordSize())) {
            conn.protocolError(TransportError.FRAME_ENCODING_ERROR, "message of " + size + " bytes exceeds our limit");
            return;
        }
        try {
            do {
                Frame frame = FrameCodec.decode(message, wire, conn.legacyClose());
                onFrame(frame);
            } while (wire.isQmux() && message.isReadable() && !conn.isClosed());
        } catch (ProtocolException e) {
            conn.protocolError(e.code(), e.getMessage());
        }
    }

    private void onFrame(Frame frame) throws ProtocolException {
        if (wire == WireVersion.QMUX_02 && !(frame instanceof Frame.Padding)) {
            // draft-02: QX_TRANSPORT_PARAMETERS is the first frame, and only the first.
            boolean isParams = frame instanceof Frame.Parameters;
            if (isParams == firstFrameSeen) {
                release(frame);
                throw violation("QX_TRANSPORT_PARAMETERS must be the first frame and appear once");
            }
            firstFrameSeen = true;
        }
        switch (frame) {
            case Frame.Stream s -> onStreamFrame(s);
            case Frame.ResetStream r -> onResetStream(r);
            case Frame.StopSending s -> onStopSending(s);
            case Frame.ConnectionClose c -> conn.onPeerClose(c);
            case Frame.MaxData m -> {
                if (flow.raiseSendMax(m.max())) {
                    scheduler.pump();
                }
            }
            case Frame.MaxStreamData m -> {
                QmuxStream s = table.streamForControl(m.id(), true);
                if (s != null) {
                    s.onMaxStreamData(m.max());
                }
            }
            case Frame.MaxStreams m -> table.onMaxStreams(m.bidi(), m.max());
            case Frame.Parameters p -> onParameters(p.params());
            case Frame.Ping p -> {
                if (p.request()) {
                    conn.sendControl(new Frame.Ping(false, p.sequence()));
                }
            }
            case Frame.Blocked b -> {
            }
            case Frame.Padding p -> {
            }
            case Frame.Datagram d -> datagrams.onDatagram(d);
        }
    }

    private static void release(Frame frame) {
        if (frame instanceof Frame.Stream s) {
            s.data().release();
        } else if (frame instanceof Frame.Datagram d) {
            d.data().release();
        }
    }

    private static ProtocolException violation(String message) {
        return new ProtocolException(TransportError.PROTOCOL_VIOLATION, message, true);
    }

    private void onParameters(TransportParameters params) throws ProtocolException {
        if (paramsReceived) {
            throw violation("second QX_TRANSPORT_PARAMETERS");
        }
        paramsReceived = true;
        conn.onPeerParameters(params);
        flow.raiseSendMax(params.initialMaxData());
        table.onPeerParameters(params);
        table.serveOpeners();
        scheduler.pump();
    }

    private void onStreamFrame(Frame.Stream f) throws ProtocolException {
        ByteBuf data = f.data();
        QmuxStream s;
        boolean fresh;
        try {
            if (StreamTable.isUni(f.id()) && table.isLocal(f.id())) {
                throw new ProtocolException(TransportError.STREAM_STATE_ERROR, "STREAM on our send-only stream " + f.id(), true);
            }
            s = table.get(f.id());
            fresh = s == null && !table.isLocal(f.id());
            if (s == null) {
                s = table.isLocal(f.id()) ? table.streamForControl(f.id(), false) : table.openPeerStream(f.id());
            }
            if (s == null) {
                // A late frame for a stream that is gone: it still used connection credit.
                conn.onReceived(data.readableBytes());
                conn.onConsumed(data.readableBytes());
                data.release();
                return;
            }
        } catch (ProtocolException | RuntimeException e) {
            data.release();
            throw e;
        }
        s.onStreamFrame(f.offset(), data, f.fin());
        if (fresh) {
            conn.announce(s);
        }
    }

    private void onResetStream(Frame.ResetStream r) throws ProtocolException {
        boolean fresh = !table.isLocal(r.id()) && table.get(r.id()) == null;
        QmuxStream s = table.streamForControl(r.id(), false);
        if (s == null) {
            return;
        }
        s.onReset(r.code(), r.finalSize());
        if (fresh) {
            conn.announce(s);
        }
    }

    private void onStopSending(Frame.StopSending f) throws ProtocolException {
        boolean fresh = !table.isLocal(f.id()) && table.get(f.id()) == null;
        QmuxStream s = table.streamForControl(f.id(), true);
        if (s == null) {
            return;
        }
        s.onStopSending(f.code());
        if (fresh) {
            conn.announce(s);
        }
    }
}
