package dev.jmoq.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An allocation-free executor for benchmarks: a bounded ring of Runnables drained by one busy-spinning
 * thread. {@link #execute} claims a slot with a CAS on the tail (any number of producers), stores the task
 * with a release write; the consumer spins on the head slot. Nothing is allocated per task, unlike the
 * linked nodes or chunks of general-purpose queues.
 *
 * <p>The consumer spins with {@link Thread#onSpinWait()} and yields after a while idle, so that on a small
 * machine it does not starve the thread that feeds it. A full ring rejects the task (the benchmark sizes
 * the ring above its subscriber count).
 */
public final class SpinExecutor implements Executor, AutoCloseable {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Runnable[].class);

    private final Runnable[] ring;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private volatile long head;
    private volatile boolean running = true;
    private final Thread thread;

    public SpinExecutor(String name, int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.ring = new Runnable[size];
        this.mask = size - 1;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    @Override
    public void execute(Runnable task) {
        long t;
        do {
            t = tail.get();
            if (t - head >= ring.length) {
                throw new RejectedExecutionException("ring full");
            }
        } while (!tail.compareAndSet(t, t + 1));
        SLOTS.setRelease(ring, (int) (t & mask), task);
    }

    private void run() {
        long h = 0;
        int idle = 0;
        while (running) {
            int slot = (int) (h & mask);
            Runnable r = (Runnable) SLOTS.getAcquire(ring, slot);
            if (r == null) {
                if (++idle > 1000) {
                    Thread.yield();
                    idle = 0;
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            idle = 0;
            SLOTS.setRelease(ring, slot, null);
            head = ++h;
            r.run();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
