package dev.jmoq.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The frame pool: a buffer of {@code size} bytes allocated, written end to end and released, from Netty's
 * pooled allocator (direct and heap) against unpooled heap and direct allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class PoolBench {
    @Param({"100", "1200", "10000"})
    public int size;

    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;
    private static final ByteBufAllocator UNPOOLED = new UnpooledByteBufAllocator(true, false);

    private int cycle(ByteBuf b) {
        b.writerIndex(size); // as a received frame would fill it
        b.setByte(size - 1, 1);
        int r = b.getByte(0);
        b.release();
        return r;
    }

    @Benchmark
    public int pooledDirect() {
        return cycle(POOLED.directBuffer(size));
    }

    @Benchmark
    public int pooledHeap() {
        return cycle(POOLED.heapBuffer(size));
    }

    @Benchmark
    public int unpooledHeap() {
        return cycle(UNPOOLED.heapBuffer(size));
    }

    @Benchmark
    public int unpooledDirect() {
        return cycle(UNPOOLED.directBuffer(size));
    }
}
