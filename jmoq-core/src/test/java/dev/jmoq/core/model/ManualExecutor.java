package dev.jmoq.core.model;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** An executor the test drives by hand: tasks queue until {@link #runAll()}; {@link #shutdown()} makes it refuse. */
final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean shutdown;

    @Override
    public synchronized void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        tasks.add(task);
    }

    synchronized int pending() {
        return tasks.size();
    }

    synchronized void shutdown() {
        shutdown = true;
    }

    /** Runs queued tasks, including ones queued while running, until none is left. Returns how many ran. */
    int runAll() {
        int n = 0;
        while (true) {
            Runnable r;
            synchronized (this) {
                r = tasks.poll();
            }
            if (r == null) {
                return n;
            }
            r.run();
            n++;
        }
    }
}
