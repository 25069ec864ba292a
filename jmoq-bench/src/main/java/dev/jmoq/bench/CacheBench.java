package dev.jmoq.bench;

import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * The group cache: a group created, given one frame (a retained slice of a received buffer, as ingest
 * does) and finished, evicting the oldest once the ring is full; and a lookup by sequence inside the
 * window. Both should cost the same whatever the ring size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class CacheBench {
    @Param({"8", "64", "512", "4096"})
    public int ringSize;

    private Track track;
    private ByteBuf received;
    private long next;
    private int lookup;

    @Setup(Level.Trial)
    public void setUp() {
        track = new Track("bench", null, new CacheConfig(ringSize, Duration.ofDays(1), ByteBudget.unlimited()));
        received = PooledByteBufAllocator.DEFAULT.directBuffer(1200).writeZero(1200);
        for (int i = 0; i < ringSize; i++) {
            createAppendFinish();
        }
    }

    @Benchmark
    public Group createAppendFinish() {
        Group g = track.createGroup(next++);
        g.append(received.retainedSlice(0, 1200));
        g.finish();
        return g;
    }

    @Benchmark
    public Group bySequence() {
        long top = next - 1;
        return track.bySequence(top - (lookup++ & (ringSize - 1)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        track.clear();
        received.release();
    }
}
