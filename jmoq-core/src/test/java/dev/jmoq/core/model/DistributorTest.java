package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The distributor side of a {@link Track}: subscribing, waking, coalescing, leaving and gone subscribers. */
class DistributorTest {

    private final ManualExecutor loop = new ManualExecutor();
    private final Track track = new Track("v", null, Frames.cache(64));

    private List<RecordingSubscriber> subscribe(int n) {
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingSubscriber s = new RecordingSubscriber(loop);
            assertTrue(track.subscribe(s));
            subs.add(s);
        }
        return subs;
    }

    private void end(List<RecordingSubscriber> subs) {
        for (RecordingSubscriber s : subs) {
            track.unsubscribe(s);
        }
        loop.runAll();
        subs.forEach(RecordingSubscriber::releaseCurrent);
        track.clear();
    }

    @Test
    void subscribingWakesTheSubscriberOnce() {
        RecordingSubscriber s = subscribe(1).getFirst();
        assertSame(track, s.track());
        assertSame(loop, s.executor());
        assertTrue(s.isWakePending());
        assertEquals(1, loop.pending());
        loop.runAll();
        assertEquals(1, s.drains.get());
        assertFalse(s.isWakePending());
        end(List.of(s));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 1000})
    void everySubscriberIsWokenByANewGroup(int n) {
        List<RecordingSubscriber> subs = subscribe(n);
        assertEquals(n, track.subscriberCount());
        loop.runAll();
        track.createGroup(0).finish();
        assertEquals(n, loop.pending(), "one drain per subscriber");
        loop.runAll();
        for (RecordingSubscriber s : subs) {
            assertEquals(2, s.drains.get());
            assertEquals(List.of(0L), s.groups);
        }
        end(subs);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 1000})
    void wakesCoalesceWhileADrainIsPending(int n) {
        List<RecordingSubscriber> subs = subscribe(n);
        Group g = track.createGroup(0);
        for (int i = 0; i < 20; i++) {
            g.append(Frames.frame(0, i));
        }
        g.finish();
        assertEquals(n, loop.pending(), "22 wakes per subscriber, one task each");
        loop.runAll();
        for (RecordingSubscriber s : subs) {
            assertEquals(1, s.drains.get());
            assertEquals(20, s.frames);
            assertNull(s.error);
        }
        end(subs);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 1000})
    void everySubscriberReadsEveryFrameOfEveryGroup(int n) {
        List<RecordingSubscriber> subs = subscribe(n);
        for (int s = 0; s < 10; s++) {
            Group g = track.createGroup(s);
            for (int i = 0; i < 5; i++) {
                g.append(Frames.frame(s, i));
                if (i % 2 == 0) {
                    loop.runAll(); // interleave reading and writing
                }
            }
            g.finish();
        }
        track.close();
        loop.runAll();
        for (RecordingSubscriber s : subs) {
            assertNull(s.error);
            assertEquals(50, s.frames);
            assertEquals(0, s.done.getCount());
            assertEquals(50, s.framesAtEnd);
            assertEquals(0, s.lapped);
        }
        end(subs);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 1000})
    void unsubscribedSubscribersAreNotWoken(int n) {
        List<RecordingSubscriber> subs = subscribe(n);
        loop.runAll();
        for (int i = 0; i < n; i += 2) {
            track.unsubscribe(subs.get(i));
            assertNull(subs.get(i).track());
        }
        assertEquals(n / 2, track.subscriberCount());
        track.notifySubscribers();
        assertEquals(n / 2, loop.pending());
        loop.runAll();
        for (int i = 0; i < n; i++) {
            assertEquals(i % 2 == 0 ? 1 : 2, subs.get(i).drains.get(), "subscriber " + i);
        }
        end(subs);
    }

    @Test
    void aSubscriberAttachesToOneTrackAtATime() {
        RecordingSubscriber s = subscribe(1).getFirst();
        Track other = new Track("a", null, Frames.cache(8));
        assertFalse(track.subscribe(s));
        assertFalse(other.subscribe(s));
        assertEquals(1, track.subscriberCount());
        track.unsubscribe(s);
        assertTrue(other.subscribe(s), "free again after leaving");
        assertSame(other, s.track());
        other.unsubscribe(s);
        loop.runAll();
    }

    @Test
    void unsubscribeIsIdempotentAndIgnoresStrangers() {
        List<RecordingSubscriber> subs = subscribe(2);
        RecordingSubscriber stranger = new RecordingSubscriber(loop);
        track.unsubscribe(stranger);
        track.unsubscribe(subs.get(0));
        track.unsubscribe(subs.get(0));
        assertEquals(1, track.subscriberCount());
        end(subs);
    }

    @Test
    void theIdleCallbackRunsEachTimeTheLastSubscriberLeaves() {
        AtomicInteger idle = new AtomicInteger();
        track.onIdle(idle::incrementAndGet);
        List<RecordingSubscriber> subs = subscribe(3);
        track.unsubscribe(subs.get(1));
        track.unsubscribe(subs.get(0));
        assertEquals(0, idle.get());
        track.unsubscribe(subs.get(2));
        assertEquals(1, idle.get());
        track.unsubscribe(subs.get(2));
        assertEquals(1, idle.get());
        RecordingSubscriber again = new RecordingSubscriber(loop);
        track.subscribe(again);
        track.unsubscribe(again);
        assertEquals(2, idle.get());
        loop.runAll();
    }

    @Test
    void removingFromTheMiddleKeepsTheOthersSubscribed() {
        List<RecordingSubscriber> subs = subscribe(5);
        loop.runAll();
        track.unsubscribe(subs.get(2));
        track.notifySubscribers();
        loop.runAll();
        for (int i = 0; i < 5; i++) {
            assertEquals(i == 2 ? 1 : 2, subs.get(i).drains.get());
        }
        end(subs);
    }

    @Test
    void aWakeDuringADrainSchedulesAnotherDrain() {
        AtomicInteger drains = new AtomicInteger();
        TrackSubscriber s = new TrackSubscriber(loop) {
            @Override
            protected void drain() {
                if (drains.incrementAndGet() == 1) {
                    assertFalse(isWakePending(), "the flag is cleared before the drain runs");
                    track.notifySubscribers(); // data arriving while we drain
                }
            }
        };
        track.subscribe(s);
        assertEquals(2, loop.runAll());
        assertEquals(2, drains.get());
        track.unsubscribe(s);
    }

    @Test
    void aSubscriberMayLeaveFromItsOwnDrain() {
        AtomicInteger drains = new AtomicInteger();
        TrackSubscriber s = new TrackSubscriber(loop) {
            @Override
            protected void drain() {
                drains.incrementAndGet();
                track().unsubscribe(this);
            }
        };
        track.subscribe(s);
        loop.runAll();
        track.notifySubscribers();
        assertEquals(0, loop.runAll());
        assertEquals(1, drains.get());
        assertEquals(0, track.subscriberCount());
    }

    @Test
    void aDrainMaySubscribeAnotherSubscriber() {
        RecordingSubscriber late = new RecordingSubscriber(loop);
        TrackSubscriber first = new TrackSubscriber(loop) {
            @Override
            protected void drain() {
                track.subscribe(late);
            }
        };
        track.subscribe(first);
        loop.runAll();
        assertEquals(2, track.subscriberCount());
        assertEquals(1, late.drains.get());
        track.unsubscribe(first);
        end(List.of(late));
    }

    @Test
    void notifyingWithoutSubscribersDoesNothing() {
        track.notifySubscribers();
        Frames.publish(track, 0, 3, 12);
        assertEquals(0, loop.pending());
        track.clear();
    }

    @Test
    void closingWakesSubscribersWhichDrainTheCacheAndEnd() {
        Frames.publish(track, 0, 2, 12);
        List<RecordingSubscriber> subs = subscribe(3);
        loop.runAll();
        track.close();
        track.close();
        assertEquals(3, loop.pending(), "one wake for an idempotent close");
        loop.runAll();
        for (RecordingSubscriber s : subs) {
            assertEquals(0, s.done.getCount());
            assertEquals(2, s.framesAtEnd);
        }
        end(subs);
    }

    @Test
    void aSubscriberPresentWhenTheTrackEndsStillReadsItsCache() {
        RecordingSubscriber s = subscribe(1).getFirst();
        Frames.publish(track, 0, 4, 12);
        track.abort(9);
        loop.runAll();
        assertEquals(4, s.framesAtEnd);
        assertEquals(9, track.closeCode());
        end(List.of(s));
    }

    @Test
    void aTrackThatEndsWithNobodyReadingFreesItsCache() {
        Frames.publish(track, 0, 4, 12);
        track.abort(9);
        assertEquals(0, track.cachedGroups());
        RecordingSubscriber late = subscribe(1).getFirst();
        loop.runAll();
        assertEquals(0, late.framesAtEnd, "a subscriber arriving after the end finds nothing to read");
        end(List.of(late));
    }

    @Test
    void aSubscriberWhoseExecutorRefusesIsRemovedAndToldItIsGone() {
        List<RecordingSubscriber> subs = subscribe(1);
        ManualExecutor deadLoop = new ManualExecutor();
        RecordingSubscriber dead = new RecordingSubscriber(deadLoop);
        track.subscribe(dead);
        loop.runAll();
        deadLoop.runAll();
        deadLoop.shutdown();
        track.notifySubscribers();
        assertNull(dead.track());
        assertEquals(1, track.subscriberCount());
        assertEquals(1, dead.gone.get());
        track.notifySubscribers();
        dead.wake();
        assertEquals(1, dead.gone.get(), "told once");
        assertEquals(1, loop.runAll(), "the others are still woken");
        end(subs);
    }

    @Test
    void subscribingThroughAShutDownExecutorEndsAtOnce() {
        AtomicInteger idle = new AtomicInteger();
        track.onIdle(idle::incrementAndGet);
        ManualExecutor deadLoop = new ManualExecutor();
        deadLoop.shutdown();
        RecordingSubscriber s = new RecordingSubscriber(deadLoop);
        track.subscribe(s);
        assertEquals(0, track.subscriberCount());
        assertEquals(1, s.gone.get());
        assertEquals(1, idle.get());
    }

    @Test
    void aShutDownNettyEventLoopMakesItsSubscriberGone() throws Exception {
        DefaultEventExecutor exec = new DefaultEventExecutor();
        RecordingSubscriber s = new RecordingSubscriber(exec);
        track.subscribe(s);
        exec.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
        assertTrue(exec.isTerminated());
        track.notifySubscribers();
        assertEquals(1, s.gone.get());
        assertEquals(0, track.subscriberCount());
    }

    @Test
    void aShutDownExecutorServiceMakesItsSubscriberGone() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor();
        RecordingSubscriber s = new RecordingSubscriber(exec);
        track.subscribe(s);
        exec.shutdown();
        assertTrue(exec.awaitTermination(30, TimeUnit.SECONDS));
        Frames.publish(track, 0, 1, 12);
        assertEquals(1, s.gone.get());
        assertEquals(0, track.subscriberCount());
        track.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void concurrentSubscribeAndUnsubscribeEndConsistent(int n) throws Exception {
        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
        try {
            int threads = 4;
            List<List<RecordingSubscriber>> kept = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<RecordingSubscriber> mine = new ArrayList<>();
                kept.add(mine);
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < n; i++) {
                        RecordingSubscriber s = new RecordingSubscriber(loops.next());
                        track.subscribe(s);
                        if (i % 3 == 0) {
                            track.unsubscribe(s);
                        } else {
                            mine.add(s);
                        }
                    }
                }));
            }
            Thread notifier = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    track.notifySubscribers();
                }
            });
            go.countDown();
            for (Thread t : ts) {
                t.join(30_000);
            }
            notifier.join(30_000);
            int expected = kept.stream().mapToInt(List::size).sum();
            assertEquals(expected, track.subscriberCount());
            Frames.publish(track, 0, 1, 12);
            track.close();
            for (List<RecordingSubscriber> mine : kept) {
                for (RecordingSubscriber s : mine) {
                    assertTrue(s.done.await(30, TimeUnit.SECONDS), "every remaining subscriber hears the end");
                    assertSame(track, s.track());
                    assertEquals(1, s.framesAtEnd);
                }
            }
            for (List<RecordingSubscriber> mine : kept) {
                mine.forEach(track::unsubscribe);
            }
            assertEquals(0, track.subscriberCount());
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
            track.clear();
        }
    }

    @RepeatedTest(20)
    void aWakeRacingTheEndOfADrainIsNeverLost() throws Exception {
        DefaultEventExecutor exec = new DefaultEventExecutor();
        try {
            AtomicInteger seen = new AtomicInteger();
            AtomicInteger published = new AtomicInteger();
            CountDownLatch caughtUp = new CountDownLatch(1);
            int total = 5000;
            TrackSubscriber s = new TrackSubscriber(exec) {
                @Override
                protected void drain() {
                    seen.set(published.get());
                    if (seen.get() == total) {
                        caughtUp.countDown();
                    }
                }
            };
            track.subscribe(s);
            for (int i = 0; i < total; i++) {
                published.incrementAndGet();
                track.notifySubscribers();
            }
            assertTrue(caughtUp.await(30, TimeUnit.SECONDS), "the drain after the last wake saw " + seen.get());
            track.unsubscribe(s);
        } finally {
            exec.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
        }
    }
}
