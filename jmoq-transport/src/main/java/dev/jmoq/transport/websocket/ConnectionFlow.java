package dev.jmoq.transport.websocket;

import dev.jmoq.wire.ProtocolException;
import io.netty.channel.Channel;

/**
 * Connection-level flow control of one qmux connection, both ways (RFC 9000 section 4 as qmux reuses it):
 * the peer's MAX_DATA we may send up to, and our receive window, which slides with what readers consume so
 * a slow reader keeps the peer at most one window ahead. The legacy {@code webtransport} framing has no flow
 * control: nothing limits sending, and receiving is bounded by pausing the socket instead.
 *
 * <p>Concurrency: confined to the connection's event loop.
 */
final class ConnectionFlow {
    private final boolean qmux;
    private final long window;
    private final long legacyReceiveBuffer;
    private final Channel channel;

    private long sendMax;
    private long sent;
    private long recvMax;
    private long received;
    private long consumed;
    private long legacyBuffered;

    ConnectionFlow(WireVersion wire, TransportParameters local, QmuxSettings settings, Channel channel) {
        this.qmux = wire.isQmux();
        this.window = local.initialMaxData();
        this.legacyReceiveBuffer = settings.legacyReceiveBuffer();
        this.channel = channel;
        if (qmux) {
            recvMax = window;
        } else {
            sendMax = Long.MAX_VALUE;
            recvMax = Long.MAX_VALUE;
        }
    }

    /** Bytes we may still send on the connection. */
    long credit() {
        return sendMax - sent;
    }

    void onSent(long n) {
        sent += n;
    }

    /** The peer's MAX_DATA (or initial_max_data): true when it raised the limit. */
    boolean raiseSendMax(long max) {
        if (max > sendMax) {
            sendMax = max;
            return true;
        }
        return false;
    }

    /** Counts {@code n} received bytes against our window; a peer beyond it broke flow control. */
    void onReceived(long n) throws ProtocolException {
        if (n == 0) {
            return;
        }
        if (received + n > recvMax) {
            throw new ProtocolException(TransportError.FLOW_CONTROL_ERROR,
                    "peer sent " + (received + n) + " bytes, beyond MAX_DATA " + recvMax, true);
        }
        received += n;
        if (!qmux) {
            legacyBuffered += n;
            if (legacyBuffered > legacyReceiveBuffer) {
                channel.config().setAutoRead(false); // no credit to withhold: stop reading the socket instead
            }
        }
    }

    /**
     * Counts {@code n} bytes delivered or discarded; returns the new MAX_DATA to advertise, or 0 for none.
     * On the legacy framing it resumes reading the socket once half the buffer drained.
     */
    long onConsumed(long n, boolean closed) {
        if (n == 0) {
            return 0;
        }
        consumed += n;
        if (!qmux) {
            legacyBuffered -= n;
            if (legacyBuffered <= legacyReceiveBuffer / 2 && !channel.config().isAutoRead() && !closed) {
                channel.config().setAutoRead(true);
            }
            return 0;
        }
        long next = replenish(consumed, recvMax, window);
        if (next > 0) {
            recvMax = next;
        }
        return next;
    }

    /**
     * The new limit to advertise once the unused part of a window falls to half of it, or 0 for none: the
     * window slides with consumption, so a slow reader keeps the peer at most one window ahead.
     */
    static long replenish(long consumed, long currentMax, long window) {
        if (window <= 0) {
            return 0;
        }
        return currentMax - consumed <= window / 2 ? consumed + window : 0;
    }
}
