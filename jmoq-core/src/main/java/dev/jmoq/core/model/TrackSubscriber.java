package dev.jmoq.core.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The consumer side of a {@link Track}: one subscriber of the track distributor.
 *
 * <p>Notification contract: the track calls {@link #wake()} from the producer's thread whenever a group
 * or frame arrives or the track ends. A coalescing wake flag makes that cost one volatile read when the
 * subscriber is already scheduled; when the flag flips from clear to set, the preallocated drain task is
 * handed to the subscriber's executor (its connection's event loop). The drain task clears the flag
 * <em>before</em> calling {@link #drain()}, so anything that arrives during a drain schedules another:
 * a notification is never lost and nothing polls. In steady state neither side allocates.
 *
 * <p>{@link #drain()} runs only on the executor, never concurrently with itself. A subscriber whose
 * executor refuses work (its event loop shut down) is gone: it is removed from the track and
 * {@link #onGone()} is called.
 */
public abstract class TrackSubscriber {
    private static final VarHandle WOKEN;

    static {
        try {
            WOKEN = MethodHandles.lookup().findVarHandle(TrackSubscriber.class, "woken", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor executor;
    private final Runnable drainTask;
    @SuppressWarnings("unused") // accessed through WOKEN
    private volatile int woken;
    volatile Track track;

    protected TrackSubscriber(Executor executor) {
        this.executor = executor;
        this.drainTask = this::runDrain;
    }

    /** Schedules a drain unless one is already pending. Any thread; lock-free; allocation-free. */
    public final void wake() {
        if ((int) WOKEN.getOpaque(this) == 0 && WOKEN.compareAndSet(this, 0, 1)) {
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException e) {
                Track t = track;
                if (t != null) {
                    t.unsubscribe(this);
                }
                onGone();
            }
        }
    }

    private void runDrain() {
        WOKEN.setVolatile(this, 0);
        drain();
    }

    /** Whether a drain is scheduled and has not started yet. */
    public final boolean isWakePending() {
        return (int) WOKEN.getVolatile(this) != 0;
    }

    public final Executor executor() {
        return executor;
    }

    /** The track this subscriber is attached to, or null before subscribing and after leaving. */
    public final Track track() {
        return track;
    }

    /** Does the work the wake announced: reads new groups and frames from the track. Runs on the executor. */
    protected abstract void drain();

    /** Called once when the subscriber was found gone (its executor refused work). Any thread. */
    protected void onGone() {
    }
}
