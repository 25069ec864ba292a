package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.AnnounceListener;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.wire.ietf.IetfMessage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Holds a SUBSCRIBE for a track nobody publishes yet (draft-ietf-moq-transport-17+, "RENDEZVOUS TIMEOUT
 * Parameter"): until a usable broadcast appears at the track's path (a PUBLISH_NAMESPACE or a PUBLISH of
 * another session) the request waits, at most the subscriber's RENDEZVOUS_TIMEOUT capped at
 * {@value #MAX_MILLIS} ms; then {@code proceed} serves it normally, or {@code timedOut} refuses it (the
 * draft's REQUEST_ERROR TIMEOUT). An UNSUBSCRIBE (or the request stream's end) while waiting ends it
 * quietly; so does the session's close (the timer finds the session closed).
 *
 * <p>Threading: the session's event loop; the origin's listener hops onto it.
 */
final class Rendezvous {
    /** The longest a SUBSCRIBE is held, whatever the subscriber asked (the draft lets a relay cap it). */
    static final long MAX_MILLIS = 30_000;

    private final IetfSession session;
    private final Runnable proceed;
    private Origin.Registration registration;
    private ScheduledFuture<?> timer;
    private boolean done;

    private Rendezvous(IetfSession session, Runnable proceed) {
        this.session = session;
        this.proceed = proceed;
    }

    /**
     * Waits for a broadcast at {@code path} that {@code usable} accepts; {@code millis} is the subscriber's
     * RENDEZVOUS_TIMEOUT (&gt; 0).
     */
    static void hold(IetfSession session, Origin serve, String path, long millis, Exchange ex,
            Predicate<Broadcast> usable, Runnable proceed, Runnable timedOut) {
        Rendezvous r = new Rendezvous(session, proceed);
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
            }

            @Override
            public void onEnd(long code) {
                if (r.finish()) {
                    ex.end(null);
                }
            }
        });
        r.timer = session.loop().schedule(() -> {
            if (r.finish() && !session.isClosed() && !ex.ended) {
                timedOut.run();
            }
        }, Math.min(millis, MAX_MILLIS), TimeUnit.MILLISECONDS);
        r.registration = serve.listen(path, new AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {
                if (b.path().equals(path)) {
                    session.loop().execute(() -> r.found(b, usable, ex));
                }
            }

            @Override
            public void onWithdraw(String p) {
            }
        });
    }

    private void found(Broadcast b, Predicate<Broadcast> usable, Exchange ex) {
        if (done || !usable.test(b)) {
            return;
        }
        if (finish() && !session.isClosed() && !ex.ended) {
            proceed.run();
        }
    }

    /** Stops waiting; true the first time. */
    private boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (registration != null) {
            registration.close();
        }
        return true;
    }
}
