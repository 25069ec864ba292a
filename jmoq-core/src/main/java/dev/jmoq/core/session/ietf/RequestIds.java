package dev.jmoq.core.session.ietf;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfErrorCode;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * Request ID accounting (draft-ietf-moq-transport "Request ID"; MAX_REQUEST_ID and REQUESTS_BLOCKED on
 * drafts 14-16). The client's IDs are even from 0, the server's odd from 1, each side's increasing by 2.
 * Ours: a request waits while its ID is not below the peer's limit (REQUESTS_BLOCKED is sent once per
 * limit) and goes out when MAX_REQUEST_ID raises it. The peer's: an ID of the wrong parity or out of
 * sequence is INVALID_REQUEST_ID, one at or above the limit we gave is TOO_MANY_REQUESTS (both close the
 * session); we grant {@value #WINDOW} requests at a time and more as the peer's requests end.
 * On drafts 17+ streams bound requests and only the numbering is kept ({@code flowControl} false).
 *
 * <p>Threading: the session's event loop.
 */
final class RequestIds {
    /** Requests of the peer's we allow open at once (the MAX_REQUEST_ID window, in requests). */
    static final int WINDOW = 128;

    private final boolean flowControl;
    private long next;
    private long peerLimit;
    private long blockedSentAt = -1;
    private final ArrayDeque<LongConsumer> waiting = new ArrayDeque<>();

    private long peerNext;
    private long granted;
    private long lastAdvertised;

    /** @param clientSide our IDs are even (client) or odd (server) */
    RequestIds(boolean clientSide, boolean flowControl) {
        this.flowControl = flowControl;
        this.next = clientSide ? 0 : 1;
        this.peerNext = clientSide ? 1 : 0;
        this.granted = peerNext + 2L * WINDOW;
        this.lastAdvertised = granted;
        this.peerLimit = flowControl ? 0 : Long.MAX_VALUE;
    }

    /** The MAX_REQUEST_ID we give in SETUP. */
    long initialGrant() {
        return granted;
    }

    /** The peer's SETUP limit or a MAX_REQUEST_ID: releases waiting requests. Lower values are ignored. */
    void onPeerLimit(long limit, LongConsumer sendBlocked) {
        if (limit <= peerLimit) {
            return;
        }
        peerLimit = limit;
        while (!waiting.isEmpty() && next < peerLimit) {
            long id = next;
            next += 2;
            waiting.pollFirst().accept(id);
        }
        blockIfWaiting(sendBlocked);
    }

    /**
     * Runs {@code start} with the next ID now, or once the peer's limit allows it. {@code sendBlocked}
     * is told the limit when we have to wait (REQUESTS_BLOCKED).
     */
    void allocate(LongConsumer start, LongConsumer sendBlocked) {
        if (waiting.isEmpty() && next < peerLimit) {
            long id = next;
            next += 2;
            start.accept(id);
            return;
        }
        waiting.addLast(start);
        blockIfWaiting(sendBlocked);
    }

    private void blockIfWaiting(LongConsumer sendBlocked) {
        if (!waiting.isEmpty() && flowControl && blockedSentAt != peerLimit) {
            blockedSentAt = peerLimit;
            sendBlocked.accept(peerLimit);
        }
    }

    /** Requests still waiting for the peer's limit. */
    int waiting() {
        return waiting.size();
    }

    /** Checks a new request's ID from the peer. Session fatal on a bad ID. */
    void onPeerRequest(long id) throws ProtocolException {
        if ((id & 1) != (peerNext & 1) || id < peerNext) {
            throw new ProtocolException(IetfErrorCode.INVALID_REQUEST_ID.code(),
                    "request id " + id + " where " + peerNext + " or later of that parity was expected", true);
        }
        if (flowControl && id >= granted) {
            throw new ProtocolException(IetfErrorCode.TOO_MANY_REQUESTS.code(),
                    "request id " + id + " at or above the limit " + granted, true);
        }
        peerNext = id + 2;
    }

    /**
     * One of the peer's requests ended: the window moves on. Returns the new limit to send as
     * MAX_REQUEST_ID when it moved by a quarter window or more, else -1.
     */
    long onPeerRequestEnded() {
        if (!flowControl) {
            return -1;
        }
        granted += 2;
        if (granted - lastAdvertised >= WINDOW / 2) {
            lastAdvertised = granted;
            return granted;
        }
        return -1;
    }
}
