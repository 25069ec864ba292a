package dev.jmoq.bench;

import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSubscriber;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Wake fan-out of the track distributor: time from {@link Track#notifySubscribers()} until every
 * subscriber's drain task has run, with subscribers spread over two executor threads. The measured
 * operation spins until a countdown of drained subscribers reaches zero.
 *
 * <p>{@code executor=spin}: {@link SpinExecutor}, allocation-free. {@code executor=eventloop}: Netty's
 * {@code DefaultEventLoop} (its MPSC task queue and thread wake-up included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class DistributorBench {
    @Param({"1", "100", "1000", "10000"})
    public int subscribers;

    @Param({"spin", "eventloop"})
    public String executor;

    private final AtomicInteger remaining = new AtomicInteger();
    private Track track;
    private SpinExecutor[] spins;
    private DefaultEventLoopGroup loops;

    /** Counts itself down once per drain. */
    static final class CountingSubscriber extends TrackSubscriber {
        private final AtomicInteger remaining;

        CountingSubscriber(Executor executor, AtomicInteger remaining) {
            super(executor);
            this.remaining = remaining;
        }

        @Override
        protected void drain() {
            remaining.decrementAndGet();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Executor[] executors = new Executor[2];
        if (executor.equals("spin")) {
            spins = new SpinExecutor[2];
            for (int i = 0; i < 2; i++) {
                spins[i] = new SpinExecutor("spin-" + i, subscribers);
                executors[i] = spins[i];
            }
        } else {
            loops = new DefaultEventLoopGroup(2);
            int i = 0;
            for (EventExecutor e : loops) {
                executors[i++] = e;
            }
        }
        track = new Track("bench", null, CacheConfig.defaults());
        remaining.set(subscribers);
        for (int i = 0; i < subscribers; i++) {
            track.subscribe(new CountingSubscriber(executors[i & 1], remaining));
        }
        spinUntilDrained();
    }

    @Benchmark
    public int wakeAll() {
        remaining.set(subscribers);
        track.notifySubscribers();
        return spinUntilDrained();
    }

    private int spinUntilDrained() {
        int spins = 0;
        while (remaining.get() > 0) {
            if (++spins % 1024 == 0) {
                Thread.yield(); // two cores: let the executor threads run
            } else {
                Thread.onSpinWait();
            }
        }
        return spins;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        if (spins != null) {
            for (SpinExecutor s : spins) {
                s.close();
            }
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
