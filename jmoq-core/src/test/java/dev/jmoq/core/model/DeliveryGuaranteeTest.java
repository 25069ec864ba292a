package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery guarantees with real threads: a publisher thread appends groups of frames while subscribers
 * drain on their own executors. A subscriber that keeps up sees every frame in order; a slow one is
 * lapped and skips forward without holding the publisher back; memory stays bounded; no wake is lost.
 */
class DeliveryGuaranteeTest {
    private static final long SAFETY_SECONDS = 30;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        cleanup.reversed().forEach(Runnable::run);
    }

    private DefaultEventLoopGroup loops(int n) {
        DefaultEventLoopGroup g = new DefaultEventLoopGroup(n);
        cleanup.add(() -> g.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(SAFETY_SECONDS, TimeUnit.SECONDS));
        return g;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS); // safety bound only
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** Publishes {@code groups} x {@code frames} from a new thread; returns the groups in order once done. */
    private static List<Group> publish(Track track, int groups, int frames, int size, Runnable afterEachGroup) throws Exception {
        List<Group> out = new ArrayList<>();
        Thread publisher = Thread.ofPlatform().name("publisher").start(() -> {
            for (int s = 0; s < groups; s++) {
                Group g = track.createGroup(s);
                for (int i = 0; i < frames; i++) {
                    g.append(Frames.frame(PooledByteBufAllocator.DEFAULT, s, i, size));
                }
                g.finish();
                out.add(g);
                afterEachGroup.run();
            }
            track.close();
        });
        publisher.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        assertTrue(!publisher.isAlive(), "publisher finished");
        return out;
    }

    private static void awaitDone(List<RecordingSubscriber> subs) throws InterruptedException {
        for (RecordingSubscriber s : subs) {
            assertTrue(s.done.await(SAFETY_SECONDS, TimeUnit.SECONDS), "subscriber heard the end");
        }
    }

    /** Every group is freed once evicted, finished and unread; the cached ones only by the cache. */
    private static void assertRefCounts(Track track, List<Group> groups) {
        for (Group g : groups) {
            assertEquals(g.isEvicted() ? 0 : 1, g.refCnt(), g.toString());
        }
        track.clear();
        for (Group g : groups) {
            assertEquals(0, g.refCnt(), g.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 1000})
    void subscribersThatKeepUpSeeEveryFrameInOrder(int count) throws Exception {
        int groups = 20;
        int frames = 5;
        Track track = new Track("v", null, Frames.cache(groups));
        DefaultEventLoopGroup loops = loops(2);
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordingSubscriber s = new RecordingSubscriber(loops.next());
            track.subscribe(s);
            subs.add(s);
        }
        List<Group> published = publish(track, groups, frames, 64, () -> { });
        awaitDone(subs);
        for (RecordingSubscriber s : subs) {
            assertNull(s.error);
            assertEquals(groups * frames, s.framesAtEnd);
            assertEquals(0, s.lapped);
            assertEquals(groups, s.groups.size());
        }
        assertRefCounts(track, published);
    }

    @RepeatedTest(50)
    void afterThePublisherStopsEveryLastDrainSawTheFinalFrame() throws Exception {
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        cleanup.add(() -> {
            a.shutdownNow();
            b.shutdownNow();
        });
        int groups = 30;
        int frames = 4;
        Track track = new Track("v", null, Frames.cache(32));
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RecordingSubscriber s = new RecordingSubscriber(i % 2 == 0 ? a : b);
            track.subscribe(s);
            subs.add(s);
        }
        List<Group> published = publish(track, groups, frames, 16, () -> { });
        awaitDone(subs);
        for (RecordingSubscriber s : subs) {
            assertNull(s.error);
            assertEquals(groups * frames, s.framesAtEnd);
        }
        assertRefCounts(track, published);
    }

    @RepeatedTest(10)
    void withASmallRingSubscribersMaySkipButAlwaysEndOnTheNewestGroupInOrder() throws Exception {
        int groups = 200;
        int frames = 3;
        Track track = new Track("v", null, Frames.cache(4));
        DefaultEventLoopGroup loops = loops(2);
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RecordingSubscriber s = new RecordingSubscriber(loops.next());
            track.subscribe(s);
            subs.add(s);
        }
        List<Group> published = publish(track, groups, frames, 16, () -> { });
        awaitDone(subs);
        for (RecordingSubscriber s : subs) {
            assertNull(s.error, "groups ascending, frames in order within each group");
            assertEquals(groups - 1, s.lastSequence, "the newest group is always reachable");
            assertEquals(frames - 1, s.lastFrameIndex, "and read to its end");
            assertTrue(s.framesAtEnd <= (long) groups * frames);
        }
        assertRefCounts(track, published);
    }

    @Test
    void aBlockedSubscriberIsLappedAndSkipsForwardWithoutBlockingThePublisher() throws Exception {
        int groups = 100;
        int frames = 4;
        int size = 100;
        ByteBudget budget = ByteBudget.unlimited();
        Track track = new Track("v", null, Frames.cache(8, budget));
        DefaultEventExecutor fastLoop = new DefaultEventExecutor();
        DefaultEventExecutor slowLoop = new DefaultEventExecutor();
        CountDownLatch unblock = new CountDownLatch(1);
        cleanup.add(() -> {
            unblock.countDown();
            for (EventExecutor e : List.of(fastLoop, slowLoop)) {
                e.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(SAFETY_SECONDS, TimeUnit.SECONDS);
            }
        });
        slowLoop.execute(() -> {
            try {
                unblock.await(SAFETY_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RecordingSubscriber fast = new RecordingSubscriber(fastLoop);
        RecordingSubscriber slow = new RecordingSubscriber(slowLoop);
        track.subscribe(fast);
        track.subscribe(slow);
        long[] maxUsed = {0};
        int[] done = {0};
        List<Group> published = publish(track, groups, frames, size, () -> {
            maxUsed[0] = Math.max(maxUsed[0], budget.used());
            int expect = ++done[0] * frames;
            await(() -> fast.frames == expect, "fast subscriber at " + expect); // pace by the fast one only
        });
        assertEquals(1, unblock.getCount(), "the publisher finished while the slow subscriber was blocked");
        assertTrue(maxUsed[0] <= 8L * frames * size, "cache bounded by its window: " + maxUsed[0]);
        unblock.countDown();
        awaitDone(List.of(fast, slow));
        assertEquals(groups * frames, fast.framesAtEnd);
        assertEquals(0, fast.lapped);
        assertNull(slow.error);
        assertTrue(slow.lapped > 0, "lapped in the arrival ring");
        assertTrue(slow.groups.getFirst() >= groups - track.ringSize(), "skipped to the groups still cached");
        assertEquals(groups - 1, slow.lastSequence);
        assertEquals(frames - 1, slow.lastFrameIndex);
        assertRefCounts(track, published);
    }

    @Test
    void aSubscriberThatSleepsInItsDrainNeverHoldsThePublisherBackAndEndsOnTheNewest() throws Exception {
        int groups = 150;
        int frames = 3;
        Track track = new Track("v", null, Frames.cache(8));
        DefaultEventLoopGroup loops = loops(2);
        RecordingSubscriber fast = new RecordingSubscriber(loops.next());
        RecordingSubscriber slow = new RecordingSubscriber(loops.next(), TimeUnit.MILLISECONDS.toNanos(2));
        track.subscribe(fast);
        track.subscribe(slow);
        int[] done = {0};
        List<Group> published = publish(track, groups, frames, 16, () -> {
            int expect = ++done[0] * frames;
            await(() -> fast.frames == expect, "fast subscriber at " + expect);
        });
        awaitDone(List.of(fast, slow));
        assertEquals(groups * frames, fast.framesAtEnd);
        assertNull(slow.error);
        assertEquals(groups - 1, slow.lastSequence);
        assertEquals(frames - 1, slow.lastFrameIndex);
        assertTrue(slow.drains.get() <= fast.drains.get(), "the slow one's wakes coalesced");
        assertRefCounts(track, published);
    }

    @Test
    void theByteBudgetBoundsMemoryWhileASubscriberIsStuck() throws Exception {
        int groups = 200;
        int frames = 10;
        int size = 1000;
        ByteBudget budget = new ByteBudget(40_000);
        Track track = new Track("v", null, Frames.cache(4096, budget));
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        CountDownLatch unblock = new CountDownLatch(1);
        cleanup.add(() -> {
            unblock.countDown();
            stuck.shutdownNow();
        });
        stuck.execute(() -> {
            try {
                unblock.await(SAFETY_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RecordingSubscriber s = new RecordingSubscriber(stuck);
        track.subscribe(s);
        long[] maxUsed = {0};
        List<Group> published = publish(track, groups, frames, size, () -> maxUsed[0] = Math.max(maxUsed[0], budget.used()));
        assertTrue(maxUsed[0] <= budget.limit(), "used " + maxUsed[0]);
        assertTrue(track.stats().groupsEvictedForBudget.sum() >= groups - 4);
        unblock.countDown();
        awaitDone(List.of(s));
        assertEquals(groups - 1, s.lastSequence);
        assertRefCounts(track, published);
        assertEquals(0, budget.used());
    }

    @RepeatedTest(5)
    void manyTracksOnSharedLoopsDeliverIndependently() throws Exception {
        DefaultEventLoopGroup loops = loops(2);
        int tracks = 4;
        List<Thread> publishers = new ArrayList<>();
        List<List<RecordingSubscriber>> subsPerTrack = new ArrayList<>();
        List<Track> all = new ArrayList<>();
        for (int t = 0; t < tracks; t++) {
            Track track = new Track("t" + t, null, Frames.cache(64));
            all.add(track);
            List<RecordingSubscriber> subs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Executor e = loops.next();
                RecordingSubscriber s = new RecordingSubscriber(e);
                track.subscribe(s);
                subs.add(s);
            }
            subsPerTrack.add(subs);
            publishers.add(Thread.ofPlatform().start(() -> {
                for (int s = 0; s < 50; s++) {
                    Group g = track.createGroup(s);
                    for (int i = 0; i < 2; i++) {
                        g.append(Frames.frame(s, i));
                    }
                    g.finish();
                }
                track.close();
            }));
        }
        for (Thread p : publishers) {
            p.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        }
        for (List<RecordingSubscriber> subs : subsPerTrack) {
            awaitDone(subs);
            for (RecordingSubscriber s : subs) {
                assertNull(s.error);
                assertEquals(100, s.framesAtEnd);
            }
        }
        all.forEach(Track::clear);
    }
}
