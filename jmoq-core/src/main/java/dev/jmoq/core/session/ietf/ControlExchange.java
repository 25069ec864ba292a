package dev.jmoq.core.session.ietf;

import dev.jmoq.wire.ietf.IetfMessage;

/**
 * A request multiplexed on the one control stream (drafts 14-16): every message names it by Request ID
 * (or, for namespace messages on 14/15, by namespace), and ending it is a message of its own
 * (UNSUBSCRIBE, PUBLISH_NAMESPACE_DONE, ...). {@link IetfControl} routes the peer's messages here.
 *
 * <p>Threading: the session's event loop.
 */
final class ControlExchange extends Exchange {
    private final IetfControl control;
    private final boolean outgoing;
    private boolean finished;

    ControlExchange(IetfControl control, long requestId, boolean outgoing) {
        super(requestId);
        this.control = control;
        this.outgoing = outgoing;
    }

    @Override
    void send(IetfMessage m) {
        if (!finished) {
            control.sendControl(m);
        }
    }

    @Override
    void end(IetfMessage legacyDone) {
        if (finished) {
            return;
        }
        finished = true;
        if (legacyDone != null && !ended) {
            control.sendControl(legacyDone);
        }
        ended = true;
        control.forget(this, outgoing);
    }

    @Override
    void reset(long code) {
        finished = true;
        ended = true;
        control.forget(this, outgoing);
    }

    /** The peer's message ended it (an error answer, PUBLISH_DONE): nothing more to send. */
    void closedByPeer(long code) {
        finished = true;
        peerEnded(code);
        control.forget(this, outgoing);
    }
}
