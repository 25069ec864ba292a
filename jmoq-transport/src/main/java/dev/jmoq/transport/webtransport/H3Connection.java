package dev.jmoq.transport.webtransport;

import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.quic.QuicStream;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/3 state of one QUIC connection: our control stream, its WebTransport session (one per
 * connection: clients dial with pooling off), and WebTransport streams that arrived before the CONNECT
 * that opens their session was processed. Event-loop confined.
 */
final class H3Connection {
    private final QuicChannel channel;
    private final ServerOptions options;
    private final Map<Long, WebTransportSession> sessions = new HashMap<>();
    private final Map<Long, List<QuicStream>> early = new HashMap<>();

    H3Connection(QuicChannel channel, ServerOptions options) {
        this.channel = channel;
        this.options = options;
    }

    QuicChannel channel() {
        return channel;
    }

    ServerOptions options() {
        return options;
    }

    /** Opens our control stream and sends SETTINGS. */
    void openControlStream(boolean server) {
        QuicStream.open(channel, QuicStreamType.UNIDIRECTIONAL).addListener(f -> {
            if (f.isSuccess()) {
                QuicStream s = (QuicStream) f.getNow();
                s.write(WebTransportServer.settingsFrame(channel.alloc()));
                s.flush();
            } else {
                channel.close();
            }
        });
    }

    void onSession(WebTransportSession session) {
        register(session);
        options.acceptor().onConnection(session);
    }

    /** Makes {@code session} receive the streams prefixed with its id, including any that came early. */
    void register(WebTransportSession session) {
        sessions.put(session.sessionId(), session);
        List<QuicStream> waiting = early.remove(session.sessionId());
        if (waiting != null) {
            for (QuicStream s : waiting) {
                session.onPeerStream(s);
            }
        }
    }

    void onSessionStream(long sessionId, QuicStream stream) {
        WebTransportSession s = sessions.get(sessionId);
        if (s != null) {
            s.onPeerStream(stream);
            return;
        }
        List<QuicStream> waiting = early.computeIfAbsent(sessionId, k -> new ArrayList<>());
        if (waiting.size() >= 64) {
            stream.stopSending(H3.H3_GENERAL_PROTOCOL_ERROR);
            stream.reset(H3.H3_GENERAL_PROTOCOL_ERROR);
            return;
        }
        waiting.add(stream);
    }

    void removeSession(WebTransportSession session) {
        sessions.remove(session.sessionId());
    }
}
