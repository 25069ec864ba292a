package dev.jmoq.core.session.ietf;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfMessage;

/**
 * One request's conversation with the peer, whichever stream the draft puts it on: its own bidi stream
 * (draft 17+, and SUBSCRIBE_NAMESPACE on 16: {@link StreamExchange}) or the one control stream, where
 * messages name the request by Request ID (drafts 14-16: {@link ControlExchange}). The roles speak to
 * requests only through this, so they never ask which layout the session has.
 *
 * <p>Threading: the session's event loop.
 */
abstract class Exchange {
    /** What the owner of a request hears. */
    interface Listener {
        /** A response or follow-up for this request (the request itself is never delivered). */
        void onMessage(IetfMessage m) throws ProtocolException;

        /**
         * The peer ended the request: -1 cleanly (stream FIN; UNSUBSCRIBE, PUBLISH_NAMESPACE_DONE,
         * UNSUBSCRIBE_NAMESPACE or FETCH_CANCEL on the control stream), else its code (stream reset,
         * PUBLISH_NAMESPACE_CANCEL's error code).
         */
        void onEnd(long code);
    }

    static final Listener IGNORE = new Listener() {
        @Override
        public void onMessage(IetfMessage m) {
        }

        @Override
        public void onEnd(long code) {
        }
    };

    final long requestId;
    Listener listener = IGNORE;
    boolean ended;

    Exchange(long requestId) {
        this.requestId = requestId;
    }

    void listen(Listener l) {
        this.listener = l;
    }

    /** Sends a response or follow-up (control stream: it names the request itself). */
    abstract void send(IetfMessage m);

    /**
     * Ends our side cleanly: the stream's FIN, or on the control stream {@code legacyDone} (the draft's
     * UNSUBSCRIBE, PUBLISH_NAMESPACE_DONE, ...; null when the draft's answer already ended it). Idempotent.
     */
    abstract void end(IetfMessage legacyDone);

    /** Abandons the request with {@code code} (stream reset and STOP_SENDING; nothing on the control stream). */
    abstract void reset(long code);

    /** Delivered by the control dispatch: the peer ended it. */
    void peerEnded(long code) {
        if (!ended) {
            ended = true;
            listener.onEnd(code);
        }
    }
}
