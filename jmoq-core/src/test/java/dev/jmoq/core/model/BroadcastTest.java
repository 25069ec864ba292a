package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Broadcast}: static tracks, on-demand tracks through a {@link TrackSource} with linger, close. */
class BroadcastTest {
    private final ManualExecutor loop = new ManualExecutor();

    /** Counts requests and unused notices, and can fill a requested track. */
    static final class CountingSource implements TrackSource {
        final Queue<Track> requested = new ConcurrentLinkedQueue<>();
        final Queue<Track> unused = new ConcurrentLinkedQueue<>();
        final CountDownLatch unusedLatch = new CountDownLatch(1);

        @Override
        public void onTrackRequested(Track track) {
            requested.add(track);
        }

        @Override
        public void onTrackUnused(Track track) {
            unused.add(track);
            unusedLatch.countDown();
        }
    }

    @Test
    void aStaticBroadcastServesOnlyTheTracksItsProducerCreated() {
        Broadcast b = new Broadcast("room/alice", Frames.cache(8));
        Track video = b.createTrack("video");
        assertSame(video, b.createTrack("video"), "created once");
        assertSame(video, b.requestTrack("video"));
        assertSame(video, b.track("video"));
        assertNull(b.requestTrack("audio"));
        assertNull(b.track("audio"));
        assertSame(b, video.broadcast());
        assertEquals(List.of(video), List.copyOf(b.tracks()));
    }

    @Test
    void trackListenersHearEachNewTrackOnceUntilRemoved() {
        Broadcast b = new Broadcast("room/alice", Frames.cache(8), new CountingSource(), null, 0, List.of());
        List<Track> heard = new java.util.ArrayList<>();
        Runnable remove = b.onTrack(heard::add);
        Track video = b.createTrack("video");
        b.createTrack("video");
        b.requestTrack("video");
        Track audio = b.requestTrack("audio");
        assertEquals(List.of(video, audio), heard, "made by a producer or for a subscriber, each once");
        remove.run();
        b.createTrack("data");
        assertEquals(2, heard.size(), "not heard once removed");
    }

    @Test
    void aClosedStaticTrackStillServesItsCache() {
        Broadcast b = new Broadcast("p", Frames.cache(8));
        Track t = b.createTrack("v");
        Frames.publish(t, 0, 1, 12);
        t.close();
        assertSame(t, b.requestTrack("v"));
        b.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 1000})
    void anOnDemandTrackIsRequestedOnceForManySubscribers(int n) {
        CountingSource source = new CountingSource();
        Broadcast b = new Broadcast("p", Frames.cache(8), source, null, 0, List.of());
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Track t = b.requestTrack("video");
            RecordingSubscriber s = new RecordingSubscriber(loop);
            assertTrue(t.subscribe(s));
            subs.add(s);
        }
        assertEquals(1, source.requested.size());
        assertEquals(n, source.requested.peek().subscriberCount());
        subs.forEach(s -> s.track().unsubscribe(s));
        loop.runAll();
    }

    @Test
    void concurrentRequestsAskTheSourceOnce() throws Exception {
        CountingSource source = new CountingSource();
        Broadcast b = new Broadcast("p", Frames.cache(8), source, null, 0, List.of());
        CountDownLatch go = new CountDownLatch(1);
        Queue<Track> got = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 100; k++) {
                    got.add(b.requestTrack("video"));
                }
            }));
        }
        go.countDown();
        for (Thread t : ts) {
            t.join(30_000);
        }
        assertEquals(1, source.requested.size());
        Track only = source.requested.peek();
        assertTrue(got.stream().allMatch(t -> t == only));
    }

    @Test
    void withoutLingerTheTrackIsRemovedWhenTheLastSubscriberLeaves() {
        CountingSource source = new CountingSource();
        Broadcast b = new Broadcast("p", Frames.cache(8), source, null, 0, List.of());
        Track t = b.requestTrack("video");
        Frames.publish(t, 0, 2, 12);
        RecordingSubscriber s1 = new RecordingSubscriber(loop);
        RecordingSubscriber s2 = new RecordingSubscriber(loop);
        t.subscribe(s1);
        t.subscribe(s2);
        t.unsubscribe(s1);
        assertSame(t, b.track("video"));
        t.unsubscribe(s2);
        assertNull(b.track("video"));
        assertTrue(t.isClosed());
        assertEquals(0, t.cachedGroups(), "its cache is freed");
        assertEquals(List.of(t), List.copyOf(source.unused));
        Track again = b.requestTrack("video");
        assertNotSame(t, again, "asked for again, it is requested anew");
        assertEquals(2, source.requested.size());
        loop.runAll();
    }

    @Test
    void withLingerTheTrackOutlivesItsLastSubscriberThenGoes() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            CountingSource source = new CountingSource();
            Broadcast b = new Broadcast("p", Frames.cache(8), source, scheduler, 50, List.of());
            Track t = b.requestTrack("video");
            RecordingSubscriber s = new RecordingSubscriber(loop);
            t.subscribe(s);
            t.unsubscribe(s);
            assertSame(t, b.track("video"), "lingers");
            assertTrue(source.unusedLatch.await(30, TimeUnit.SECONDS));
            assertNull(b.track("video"));
            assertTrue(t.isClosed());
            loop.runAll();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aSubscriberReturningWithinTheLingerKeepsTheTrack() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch fire = new CountDownLatch(1);
        try {
            // A scheduler whose first task waits until the test allows it to run, so the order is fixed.
            scheduler.execute(() -> {
                try {
                    fire.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CountingSource source = new CountingSource();
            Broadcast b = new Broadcast("p", Frames.cache(8), source, scheduler, 1, List.of());
            Track t = b.requestTrack("video");
            RecordingSubscriber s = new RecordingSubscriber(loop);
            t.subscribe(s);
            t.unsubscribe(s);
            RecordingSubscriber back = new RecordingSubscriber(loop);
            assertSame(t, b.requestTrack("video"));
            t.subscribe(back);
            fire.countDown();
            CountDownLatch ran = new CountDownLatch(1);
            scheduler.schedule(ran::countDown, 5, TimeUnit.MILLISECONDS);
            assertTrue(ran.await(30, TimeUnit.SECONDS));
            assertSame(t, b.track("video"), "still in use");
            assertFalse(t.isClosed());
            assertTrue(source.unused.isEmpty());
            assertEquals(1, source.requested.size());
            t.unsubscribe(back);
            assertTrue(source.unusedLatch.await(30, TimeUnit.SECONDS));
            loop.runAll();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aShutDownLingerSchedulerRemovesAtOnce() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        scheduler.shutdown();
        CountingSource source = new CountingSource();
        Broadcast b = new Broadcast("p", Frames.cache(8), source, scheduler, 1000, List.of());
        Track t = b.requestTrack("video");
        RecordingSubscriber s = new RecordingSubscriber(loop);
        t.subscribe(s);
        t.unsubscribe(s);
        assertNull(b.track("video"));
        assertEquals(1, source.unused.size());
        loop.runAll();
    }

    @Test
    void aClosedOnDemandTrackIsReplacedOnTheNextRequest() {
        CountingSource source = new CountingSource();
        Broadcast b = new Broadcast("p", Frames.cache(8), source, null, 0, List.of());
        Track t = b.requestTrack("video");
        Group g = Frames.publish(t, 0, 1, 12);
        t.abort(4);
        Track fresh = b.requestTrack("video");
        assertNotSame(t, fresh);
        assertEquals(0, g.refCnt(), "the old track's cache was freed");
        assertEquals(2, source.requested.size());
    }

    @Test
    void closeEndsEveryTrackAndRefusesNewOnes() {
        CountingSource source = new CountingSource();
        Broadcast b = new Broadcast("p", Frames.cache(8), source, null, 0, List.of());
        Track a = b.requestTrack("a");
        Track c = b.requestTrack("c");
        AtomicInteger closed = new AtomicInteger();
        b.onClose(closed::incrementAndGet);
        b.close(13);
        b.close();
        assertTrue(b.isClosed());
        assertEquals(13, b.closeCode());
        assertEquals(13, a.closeCode(), "aborted with the code");
        assertEquals(13, c.closeCode());
        assertEquals(1, closed.get());
        assertNull(b.requestTrack("a"));
        assertNull(b.createTrack("z"));
        AtomicInteger late = new AtomicInteger();
        b.onClose(late::incrementAndGet);
        assertEquals(1, late.get(), "a listener added after close runs at once");
    }

    @Test
    void aCleanCloseEndsTracksWithoutAnError() {
        Broadcast b = new Broadcast("p", Frames.cache(8));
        Track t = b.createTrack("v");
        RecordingSubscriber s = new RecordingSubscriber(loop);
        t.subscribe(s);
        Frames.publish(t, 0, 2, 12);
        b.close();
        loop.runAll();
        assertEquals(-1, t.closeCode());
        assertEquals(2, s.framesAtEnd);
        t.unsubscribe(s);
        s.releaseCurrent();
        b.clear();
        assertTrue(b.tracks().isEmpty());
    }

    @Test
    void pathAndHopsAreKept() {
        Broadcast b = new Broadcast("/x/y/", Frames.cache(8), null, null, 0, List.of(11L, 22L));
        assertEquals("x/y", b.path());
        assertEquals(List.of(11L, 22L), b.hops());
        assertNotNull(b.toString());
    }
}
