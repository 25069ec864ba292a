package dev.jmoq.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the transports' liveness, handshake and stream-limit rules, read by the relay's metrics:
 * keep-alives sent and connections dropped for silence, per transport; connections closed because a
 * handshake stage did not finish in time, per stage; peers that opened streams beyond our limit; and the
 * MoQ streams open now, per transport, direction and type (a stream is counted from the moment the MoQ layer
 * gets it until the transport forgets it, both halves done: a gauge that must return to its baseline).
 *
 * <p>Thread-safe: every counter is a {@link LongAdder}; connections on any event loop add to them.
 */
public final class TransportStats {
    /** The stages of getting a connection to a usable MoQ session, each bounded by the handshake timeout. */
    public enum HandshakeStage {
        /** TCP accepted (TLS included) until a complete HTTP request (a WebSocket upgrade or a plain GET). */
        HTTP("http"),
        /** WebSocket upgraded until the peer's qmux transport parameters (qmux drafts only). */
        QMUX_PREAMBLE("qmux_preamble"),
        /** QUIC connection with ALPN h3 until the WebTransport extended CONNECT. */
        WEBTRANSPORT_CONNECT("webtransport_connect"),
        /** Connection handed to the MoQ layer until its session is established (SETUP or version by ALPN). */
        SETUP("setup");

        private final String label;

        HandshakeStage(String label) {
            this.label = label;
        }

        /** The metric label value ({@code qmux_preamble}). */
        public String label() {
            return label;
        }
    }

    private final Map<TransportKind, LongAdder> keepAlives = new EnumMap<>(TransportKind.class);
    private final Map<TransportKind, LongAdder> idleTimeouts = new EnumMap<>(TransportKind.class);
    private final Map<HandshakeStage, LongAdder> handshakeTimeouts = new EnumMap<>(HandshakeStage.class);
    private final LongAdder streamLimitViolations = new LongAdder();
    /** Open streams: [transport][direction * 2 + (uni ? 1 : 0)]. */
    private final LongAdder[][] streamsOpen = new LongAdder[TransportKind.values().length][4];

    /** Who opened a stream: the peer ({@code in}) or this side ({@code out}). */
    public enum StreamDirection {
        IN("in"),
        OUT("out");

        private final String label;

        StreamDirection(String label) {
            this.label = label;
        }

        /** The metric label value. */
        public String label() {
            return label;
        }
    }

    public TransportStats() {
        for (TransportKind k : TransportKind.values()) {
            keepAlives.put(k, new LongAdder());
            idleTimeouts.put(k, new LongAdder());
        }
        for (HandshakeStage s : HandshakeStage.values()) {
            handshakeTimeouts.put(s, new LongAdder());
        }
        for (LongAdder[] perKind : streamsOpen) {
            for (int i = 0; i < perKind.length; i++) {
                perKind[i] = new LongAdder();
            }
        }
    }

    /** A MoQ stream over {@code kind} was opened (by the peer when {@code direction} is IN). */
    public void streamOpened(TransportKind kind, StreamDirection direction, boolean uni) {
        streamsOpen[kind.ordinal()][slot(direction, uni)].increment();
    }

    /** A stream counted by {@link #streamOpened} is gone: both halves ended and the transport let it go. */
    public void streamClosed(TransportKind kind, StreamDirection direction, boolean uni) {
        streamsOpen[kind.ordinal()][slot(direction, uni)].decrement();
    }

    /** MoQ streams over {@code kind} open now, opened in {@code direction}, unidirectional or bidirectional. */
    public long streamsOpen(TransportKind kind, StreamDirection direction, boolean uni) {
        return streamsOpen[kind.ordinal()][slot(direction, uni)].sum();
    }

    private static int slot(StreamDirection direction, boolean uni) {
        return direction.ordinal() * 2 + (uni ? 1 : 0);
    }

    /** A keep-alive (QUIC DATAGRAM, HTTP/3 reserved frame, QX_PING or WebSocket ping) went out on {@code kind}. */
    public void keepAliveSent(TransportKind kind) {
        keepAlives.get(kind).increment();
    }

    /** A connection over {@code kind} was dropped because nothing arrived for its idle timeout. */
    public void idleTimedOut(TransportKind kind) {
        idleTimeouts.get(kind).increment();
    }

    /** A connection was closed because {@code stage} did not finish within the handshake timeout. */
    public void handshakeTimedOut(HandshakeStage stage) {
        handshakeTimeouts.get(stage).increment();
    }

    /** A peer opened a stream beyond the limit we advertised (its connection is closed with STREAM_LIMIT_ERROR). */
    public void streamLimitViolated() {
        streamLimitViolations.increment();
    }

    public long streamLimitViolations() {
        return streamLimitViolations.sum();
    }

    public long keepAlives(TransportKind kind) {
        return keepAlives.get(kind).sum();
    }

    public long idleTimeouts(TransportKind kind) {
        return idleTimeouts.get(kind).sum();
    }

    public long handshakeTimeouts(HandshakeStage stage) {
        return handshakeTimeouts.get(stage).sum();
    }
}
