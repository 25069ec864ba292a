package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Holds the answer to a SUBSCRIBE for a track that a remote source is still being asked for (a relayed
 * track with nothing cached yet): SUBSCRIBE_OK promises the track exists, so it waits until the track has
 * a group, or ends, or {@value #WAIT_MILLIS} ms pass (a live track that is merely quiet). The answer
 * runs once on the loop with -2 (answer OK), -1 (the track ended cleanly) or the track's abort code (the
 * source refused it: the subscriber gets REQUEST_ERROR). While waiting the gate is a subscriber of the
 * track, so the source's subscription is kept; the caller attaches its own subscriber before
 * {@link #release}.
 *
 * <p>Threading: the session's event loop.
 */
final class AnswerGate extends TrackSubscriber {
    /** How long a SUBSCRIBE waits for the source's first group before it is answered anyway. */
    static final long WAIT_MILLIS = 1500;
    static final long OK = -2;

    private final Track track;
    private final LongConsumer answer;
    private ScheduledFuture<?> timer;
    private boolean fired;

    private AnswerGate(EventLoop loop, Track track, LongConsumer answer) {
        super(loop);
        this.track = track;
        this.answer = answer;
    }

    /** Answers at once when the track has a group or has ended, else once it does (or the wait is over). */
    static void await(EventLoop loop, Track track, LongConsumer answer) {
        if (track.latest() != null || track.isClosed()) {
            answer.accept(track.isClosed() && track.latest() == null ? track.closeCode() : OK);
            return;
        }
        AnswerGate gate = new AnswerGate(loop, track, answer);
        track.subscribe(gate);
        gate.timer = loop.schedule(() -> gate.fire(OK), WAIT_MILLIS, TimeUnit.MILLISECONDS);
        gate.drain();
    }

    @Override
    protected void drain() {
        if (track.latest() != null) {
            fire(OK);
        } else if (track.isClosed()) {
            fire(track.closeCode());
        }
    }

    private void fire(long code) {
        if (fired) {
            return;
        }
        fired = true;
        if (timer != null) {
            timer.cancel(false);
        }
        answer.accept(code);
        track.unsubscribe(this); // after the caller's subscriber attached: the source keeps its subscription
    }
}
