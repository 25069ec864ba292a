package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A {@link Group}: single-writer append-only frames, and reference counting of its lifetime. */
class GroupTest {

    private final Track track = new Track("v", null, Frames.cache(4));

    @Test
    void aNewGroupIsHeldByTheCacheAndTheProducer() {
        Group g = track.createGroup(0);
        assertEquals(2, g.refCnt());
        assertTrue(g.isOpen());
        assertEquals(0, g.frameCount());
        g.finish();
        assertEquals(1, g.refCnt());
        assertTrue(g.isFinished());
        assertFalse(g.isOpen());
        track.clear();
        assertEquals(0, g.refCnt());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 100, 1000})
    void framesAreReadInTheOrderAppendedAcrossArrayGrowth(int n) {
        Group g = track.createGroup(0);
        for (int i = 0; i < n; i++) {
            assertTrue(g.append(Frames.frame(0, i)));
            assertEquals(i + 1, g.frameCount());
        }
        g.finish();
        for (int i = 0; i < n; i++) {
            assertEquals(i, Frames.indexOf(g.frame(i)));
        }
        track.clear();
    }

    @Test
    void readingBeyondThePublishedCountFails() {
        Group g = track.createGroup(0);
        g.append(Frames.frame(0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> g.frame(1));
        g.finish();
        track.clear();
    }

    @Test
    void appendAfterFinishReleasesTheFrameAndReturnsFalse() {
        Group g = track.createGroup(0);
        g.finish();
        ByteBuf f = Frames.frame(0, 0);
        assertFalse(g.append(f));
        assertEquals(0, f.refCnt());
        assertEquals(0, g.frameCount());
        track.clear();
    }

    @Test
    void appendAfterAbortReleasesTheFrame() {
        Group g = track.createGroup(0);
        g.abort(3);
        ByteBuf f = Frames.frame(0, 0);
        assertFalse(g.append(f));
        assertEquals(0, f.refCnt());
        assertTrue(g.isAborted());
        assertEquals(3, g.abortCode());
        track.clear();
    }

    @Test
    void finishAndAbortAreIdempotentAndGiveTheProducerReferenceBackOnce() {
        Group g = track.createGroup(0);
        g.finish();
        g.finish();
        g.abort(5);
        assertTrue(g.isFinished(), "the first end wins");
        assertFalse(g.isAborted());
        assertEquals(1, g.refCnt());
        track.clear();
        assertEquals(0, g.refCnt());
    }

    @Test
    void theLastReferenceReleasesEveryFrameExactlyOnce() {
        Group g = track.createGroup(0);
        List<ByteBuf> kept = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ByteBuf f = Frames.frame(0, i);
            kept.add(f.retain()); // our own reference shows how many the group gave back
            g.append(f);
        }
        assertTrue(g.tryRetain());
        g.finish();
        track.clear();
        assertEquals(1, g.refCnt(), "the reader still holds it");
        for (ByteBuf f : kept) {
            assertEquals(2, f.refCnt());
        }
        g.release();
        for (ByteBuf f : kept) {
            assertEquals(1, f.refCnt(), "released once by the group");
            f.release();
        }
    }

    @Test
    void tryRetainFailsOnceFreedAndOverReleaseIsDetected() {
        Group g = track.createGroup(0);
        g.finish();
        track.clear();
        assertFalse(g.tryRetain());
        assertThrows(IllegalStateException.class, g::release);
    }

    @Test
    void aProducerStillWritingAnEvictedGroupNeverWritesFreedMemory() {
        Group g = track.createGroup(0);
        g.append(Frames.frame(0, 0));
        track.clear();
        assertTrue(g.isEvicted());
        assertEquals(1, g.refCnt(), "the producer's reference keeps it alive");
        assertTrue(g.append(Frames.frame(0, 1)));
        assertEquals(1, g.frame(0).refCnt());
        g.finish();
        assertEquals(0, g.refCnt());
    }

    @Test
    void cachedBytesSumTheFramesUntilEviction() {
        Group g = track.createGroup(0);
        g.append(Frames.frame(PooledAlloc.DIRECT, 0, 0, 100));
        g.append(Frames.frame(PooledAlloc.DIRECT, 0, 1, 50));
        assertEquals(150, g.cachedBytes());
        g.finish();
        track.clear();
        assertEquals(0, g.cachedBytes());
    }

    @Test
    void identityIsKept() {
        Group g = track.createGroup(42);
        assertEquals(42, g.sequence());
        assertEquals(0, g.arrival());
        assertEquals(track, g.track());
        assertTrue(g.toString().contains("42"));
        g.finish();
        track.clear();
    }

    @RepeatedTest(10)
    void readersConcurrentWithTheWriterSeeEveryFramePublishedInOrder() throws Exception {
        int frames = 5000;
        Group g = track.createGroup(0);
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(4);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            assertTrue(g.tryRetain());
            readers.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                int read = 0;
                try {
                    long deadline = System.nanoTime() + 30_000_000_000L; // safety bound only
                    while (System.nanoTime() < deadline) {
                        boolean open = g.isOpen();
                        int n = g.frameCount();
                        for (; read < n; read++) {
                            if (Frames.indexOf(g.frame(read)) != read) {
                                errors.add("frame " + read);
                            }
                        }
                        if (!open) {
                            break;
                        }
                        Thread.onSpinWait();
                    }
                    if (read != frames) {
                        errors.add("read " + read);
                    }
                } finally {
                    g.release();
                }
            }));
        }
        started.await();
        for (int i = 0; i < frames; i++) {
            g.append(Frames.frame(0, i));
        }
        g.finish();
        for (Thread r : readers) {
            r.join(30_000);
        }
        assertTrue(errors.isEmpty(), errors::toString);
        assertEquals(1, g.refCnt());
        track.clear();
    }

    @RepeatedTest(10)
    void retainReleaseStormRacingEvictionFreesTheFramesExactlyOnce() throws Exception {
        Group g = track.createGroup(0);
        ByteBuf f = Frames.frame(0, 0);
        ByteBuf ours = f.retain();
        g.append(f);
        g.finish();
        AtomicInteger retained = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 2000; i++) {
                    if (g.tryRetain()) {
                        retained.incrementAndGet();
                        if (Frames.indexOf(g.frame(0)) != 0) {
                            wrong.incrementAndGet();
                        }
                        g.release();
                    }
                }
            }));
        }
        go.countDown();
        track.clear();
        for (Thread t : ts) {
            t.join(30_000);
        }
        assertEquals(0, wrong.get(), "a retained group's frame is always readable");
        assertEquals(0, g.refCnt());
        assertEquals(1, ours.refCnt(), "the group released its reference exactly once");
        ours.release();
    }
}
