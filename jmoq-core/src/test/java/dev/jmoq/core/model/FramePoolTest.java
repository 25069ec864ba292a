package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames and the pool: Netty's pooled allocator is the frame pool, frames are retained slices of received
 * buffers (views, never copies), and every buffer goes back to the pool exactly once, when its last group
 * and last reader let go.
 */
class FramePoolTest {

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void aPooledBufferHasAtLeastTheRequestedCapacityAndStartsEmpty(int n) {
        ByteBuf b = PooledAlloc.DIRECT.buffer(n);
        assertTrue(b.capacity() >= n);
        assertTrue(b.isDirect());
        assertEquals(0, b.readerIndex());
        assertEquals(0, b.writerIndex());
        b.writeZero(n);
        assertEquals(n, b.readableBytes());
        assertTrue(b.release());
        assertEquals(0, b.refCnt());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void aReleasedBufferIsReusedByTheNextAllocationOfItsSize(int n) {
        ByteBuf a = PooledAlloc.DIRECT.buffer(n);
        long address = a.memoryAddress();
        a.writeZero(n);
        a.release();
        ByteBuf b = PooledAlloc.DIRECT.buffer(n);
        assertEquals(address, b.memoryAddress(), "same memory handed back by the thread cache");
        assertEquals(0, b.writerIndex(), "and reset");
        assertEquals(0, b.readerIndex());
        b.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void liveBuffersNeverShareMemory(int n) {
        List<ByteBuf> live = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            live.add(PooledAlloc.DIRECT.buffer(n));
        }
        live.sort((x, y) -> Long.compare(x.memoryAddress(), y.memoryAddress()));
        for (int i = 1; i < live.size(); i++) {
            assertTrue(live.get(i - 1).memoryAddress() + n <= live.get(i).memoryAddress(), "overlap at " + i);
        }
        for (int i = 0; i < live.size(); i++) {
            live.get(i).setInt(0, i);
        }
        for (int i = 0; i < live.size(); i++) {
            assertEquals(i, live.get(i).getInt(0), "writes stay in their own buffer");
        }
        live.forEach(ByteBuf::release);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void framesSlicedFromAReceivedBufferAreViewsNotCopies(int n) {
        ByteBuf received = PooledAlloc.DIRECT.buffer(3 * n);
        for (int i = 0; i < 3; i++) {
            received.writeLong(0).writeInt(i).writeZero(n - 12);
        }
        Track t = new Track("v", null, Frames.cache(4));
        Group g = t.createGroup(0);
        for (int i = 0; i < 3; i++) {
            g.append(received.retainedSlice(i * n, n));
        }
        g.finish();
        for (int i = 0; i < 3; i++) {
            ByteBuf f = g.frame(i);
            assertEquals(received.memoryAddress() + (long) i * n, f.memoryAddress() + f.readerIndex());
            assertEquals(i, Frames.indexOf(f));
        }
        received.setInt(n + 8, 99);
        assertEquals(99, Frames.indexOf(g.frame(1)), "a write to the received buffer shows through the frame");
        assertEquals(4, received.refCnt(), "one reference per frame plus the receiver's");
        received.release();
        assertEquals(3, received.refCnt(), "the frames keep the received memory alive");
        assertEquals(1, g.frame(0).refCnt(), "each frame is its own handle");
        t.clear();
        assertEquals(0, received.refCnt());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1200, 10000})
    void heapFramesShareTheReceivedArray(int n) {
        ByteBuf received = PooledAlloc.DIRECT.heapBuffer(2 * n);
        received.writeZero(2 * n);
        ByteBuf a = received.retainedSlice(0, n);
        ByteBuf b = received.retainedSlice(n, n);
        assertSame(received.array(), a.array());
        assertSame(received.array(), b.array());
        assertEquals(received.arrayOffset() + n, b.arrayOffset());
        a.release();
        b.release();
        received.release();
        assertEquals(0, received.refCnt());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void aReceivedBufferSpanningTwoGroupsIsFreedWhenTheLastOfThemGoes(int n) {
        PooledByteBufAllocator alloc = PooledAlloc.uncached();
        ByteBuf received = alloc.buffer(2 * n).writeZero(2 * n);
        Track t = new Track("v", null, Frames.cache(1));
        Group a = t.createGroup(0);
        a.append(received.retainedSlice(0, n));
        a.finish();
        Group b = t.createGroup(1); // evicts a: its frame is released, the buffer lives on in b
        b.append(received.retainedSlice(n, n));
        b.finish();
        received.release();
        assertEquals(0, a.refCnt());
        assertEquals(1, received.refCnt());
        assertTrue(b.tryRetain());
        t.clear();
        assertEquals(1, received.refCnt(), "a reader still holds b");
        assertEquals(1, PooledAlloc.active(alloc));
        b.release();
        assertEquals(0, received.refCnt());
        assertEquals(0, PooledAlloc.active(alloc), "back in the pool");
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void everyFrameIsReleasedExactlyOnceAfterEvictionAndTheLastReader(int n) {
        Track t = new Track("v", null, Frames.cache(2));
        List<ByteBuf> ours = new ArrayList<>();
        Group g = t.createGroup(0);
        for (int i = 0; i < 4; i++) {
            ByteBuf f = Frames.frame(PooledAlloc.DIRECT, 0, i, n);
            ours.add(f.retain());
            g.append(f);
        }
        g.finish();
        assertTrue(g.tryRetain());
        assertTrue(g.tryRetain());
        for (int s = 1; s < 5; s++) {
            Frames.publish(t, s, 1, n);
        }
        assertTrue(g.isEvicted());
        g.release();
        ours.forEach(f -> assertEquals(2, f.refCnt(), "one reader left"));
        g.release();
        ours.forEach(f -> assertEquals(1, f.refCnt(), "the group gave its reference back once"));
        ours.forEach(ByteBuf::release);
        t.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void allocationsBalanceOnceGroupsAreEvictedAndReadersRelease(int n) {
        PooledByteBufAllocator alloc = PooledAlloc.uncached();
        Track t = new Track("v", null, Frames.cache(8));
        List<Group> held = new ArrayList<>();
        for (int s = 0; s < 100; s++) {
            Group g = t.createGroup(s);
            for (int i = 0; i < 3; i++) {
                g.append(Frames.frame(alloc, s, i, n));
            }
            g.finish();
            if (s % 10 == 0 && g.tryRetain()) {
                held.add(g);
            }
        }
        assertEquals(10, held.size());
        assertEquals(3L * (8 + held.size()), PooledAlloc.active(alloc), "cached groups plus held evicted ones");
        held.forEach(Group::release);
        assertEquals(3L * 8, PooledAlloc.active(alloc));
        t.clear();
        assertEquals(0, PooledAlloc.active(alloc));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 500, 1200, 1500, 4096, 10000})
    void aSteadyStreamReusesPooledMemory(int n) {
        PooledByteBufAllocator alloc = PooledAlloc.uncached();
        Track t = new Track("v", null, Frames.cache(8));
        for (int s = 0; s < 50; s++) {
            Group g = t.createGroup(s);
            g.append(Frames.frame(alloc, s, 0, n));
            g.finish();
        }
        long used = alloc.metric().usedDirectMemory();
        for (int s = 50; s < 5000; s++) {
            Group g = t.createGroup(s);
            g.append(Frames.frame(alloc, s, 0, n));
            g.finish();
        }
        assertEquals(used, alloc.metric().usedDirectMemory(), "no new chunk for 4950 more frames");
        assertEquals(8, PooledAlloc.active(alloc));
        t.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1200, 4096, 10000})
    void concurrentProducersAndReadersReturnEveryBuffer(int n) throws Exception {
        PooledByteBufAllocator alloc = PooledAlloc.uncached();
        int producers = 3;
        List<Track> tracks = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            tracks.add(new Track("t" + p, null, Frames.cache(4)));
        }
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch producing = new CountDownLatch(producers);
        List<Thread> threads = new ArrayList<>();
        for (Track t : tracks) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int s = 0; s < 300; s++) {
                    Group g = t.createGroup(s);
                    for (int i = 0; i < 3; i++) {
                        g.append(Frames.frame(alloc, s, i, n));
                    }
                    g.finish();
                }
                producing.countDown();
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (producing.getCount() > 0) {
                    Track t = tracks.get(rnd.nextInt(producers));
                    Group g = t.latest();
                    if (g != null && g.tryRetain()) {
                        int c = g.frameCount();
                        for (int i = 0; i < c; i++) {
                            if (Frames.sequenceOf(g.frame(i)) != g.sequence()) {
                                errors.add("frame of " + Frames.sequenceOf(g.frame(i)) + " in " + g.sequence());
                            }
                        }
                        g.release();
                    }
                }
            }));
        }
        for (Thread th : threads) {
            th.join(30_000);
        }
        assertTrue(errors.isEmpty(), errors::toString);
        tracks.forEach(Track::clear);
        assertEquals(0, PooledAlloc.active(alloc));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1200, 10000})
    void aRetainedSliceIsANewHandleOnTheSameMemory(int n) {
        ByteBuf received = PooledAlloc.DIRECT.buffer(n).writeZero(n);
        ByteBuf slice = received.retainedSlice();
        assertNotSame(received, slice);
        assertEquals(received.memoryAddress(), slice.memoryAddress());
        slice.setByte(0, 7);
        assertEquals(7, received.getByte(0));
        assertEquals(2, received.refCnt());
        assertTrue(slice.release(), "the slice handle is done");
        assertEquals(1, received.refCnt(), "the receiver still holds the memory");
        assertTrue(received.release());
    }
}
