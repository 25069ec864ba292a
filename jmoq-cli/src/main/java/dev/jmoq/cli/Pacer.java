package dev.jmoq.cli;

import java.util.function.LongSupplier;

/**
 * Paces a file's media at its own speed (as {@code ffmpeg -re} does): a frame whose timestamp is T after
 * the first waits until T after the first was released. A live pipe is never held up more than it is
 * already late. The clock is injected (nanoseconds).
 */
final class Pacer {
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long startMicros = -1;
    private long startNanos;

    Pacer(LongSupplier clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    static Pacer system() {
        return new Pacer(System::nanoTime, n -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(n));
    }

    /** Waits until the frame at {@code timestampMicros} is due. */
    void await(long timestampMicros) throws InterruptedException {
        if (startMicros < 0) {
            startMicros = timestampMicros;
            startNanos = clock.getAsLong();
            return;
        }
        long due = startNanos + (timestampMicros - startMicros) * 1000L;
        long wait = due - clock.getAsLong();
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
    }
}
