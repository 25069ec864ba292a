package dev.jmoq.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM as a request to stop cleanly: a JVM shutdown hook completes {@link #requested()}
 * and then holds the JVM's exit (at most {@code grace}) until the command has {@linkplain #close() finished},
 * so a recording is flushed and finished and the session closed (the relay ends the broadcast at once rather
 * than at its idle timeout). The process still exits with the signal's status (130, 143). Closing without a
 * signal removes the hook.
 */
final class StopSignal implements AutoCloseable {
    private final CompletableFuture<Void> requested = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    StopSignal(Duration grace) {
        hook = new Thread(() -> {
            requested.complete(null);
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jmoq-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Completes when a signal asked the process to stop. */
    CompletableFuture<Void> requested() {
        return requested;
    }

    boolean isRequested() {
        return requested.isDone();
    }

    /** The command has finished its clean-up: a pending exit proceeds; without one the hook is removed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running and now returns
        }
    }
}
