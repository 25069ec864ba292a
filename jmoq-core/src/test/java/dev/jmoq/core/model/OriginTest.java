package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Origin}: announce and withdraw, several routes per path, prefix listeners at segment boundaries. */
class OriginTest {
    private final Origin origin = new Origin();

    private static Broadcast b(String path, String... hops) {
        return new Broadcast(path, Frames.cache(8), null, null, 0,
                java.util.Arrays.stream(hops).map(h -> (long) h.hashCode()).toList());
    }

    @Test
    void anAnnouncedBroadcastIsFoundByItsNormalizedPath() {
        Broadcast alice = b("/room//alice/");
        origin.announce(alice);
        assertSame(alice, origin.get("room/alice"));
        assertSame(alice, origin.get("/room/alice"));
        assertEquals(1, origin.size());
        assertNull(origin.get("room"));
    }

    @ParameterizedTest
    @CsvSource({"room,room/alice,true", "room,roomy/alice,false", "room,room,true", "'',any/thing,true",
            "room/alice,room/alicia,false", "room/alice,room/alice/cam,true", "/room/,room/bob,true"})
    void listenersMatchPrefixesAtSegmentBoundaries(String prefix, String path, boolean matches) {
        RecordingListener l = new RecordingListener();
        origin.listen(prefix, l);
        origin.announce(b(path));
        assertEquals(matches ? List.of("+" + path) : List.of(), l.events());
    }

    @Test
    void listIsByPrefixInPathOrder() {
        origin.announce(b("room/bob"));
        origin.announce(b("roomy/x"));
        origin.announce(b("room/alice"));
        assertEquals(List.of("room/alice", "room/bob"), origin.list("room").stream().map(Broadcast::path).toList());
        assertEquals(3, origin.list("").size());
    }

    @Test
    void aLateListenerIsFirstToldOfEveryActiveBroadcastUnderItsPrefix() {
        origin.announce(b("room/alice"));
        origin.announce(b("room/bob"));
        origin.announce(b("other/carol"));
        RecordingListener l = new RecordingListener();
        origin.listen("room", l);
        assertEquals(List.of("+room/alice", "+room/bob"), l.events());
        origin.announce(b("room/dave"));
        assertEquals(List.of("+room/alice", "+room/bob", "+room/dave"), l.events());
    }

    @Test
    void withdrawTellsListenersAndIsIdempotent() {
        RecordingListener l = new RecordingListener();
        origin.listen("room", l);
        Broadcast alice = b("room/alice");
        origin.announce(alice);
        origin.withdraw(alice);
        origin.withdraw(alice);
        assertEquals(List.of("+room/alice", "-room/alice"), l.events());
        assertNull(origin.get("room/alice"));
        assertEquals(0, origin.size());
    }

    @Test
    void theNewestRouteIsActiveAndWithdrawingItRestoresThePreviousOne() {
        RecordingListener l = new RecordingListener();
        origin.listen("", l);
        Broadcast first = b("room/alice");
        Broadcast second = b("room/alice");
        origin.announce(first);
        origin.announce(second);
        assertSame(second, origin.get("room/alice"));
        origin.withdraw(second);
        assertSame(first, origin.get("room/alice"));
        assertSame(first, l.active.get("room/alice"));
        origin.withdraw(first);
        // Each change of the active route reads as the old one ending and the new one starting.
        assertEquals(List.of("+room/alice", "-room/alice", "+room/alice", "-room/alice", "+room/alice", "-room/alice"),
                l.events());
        assertEquals(2, origin.routeChanges());
    }

    @Test
    void withdrawingAnInactiveRouteIsSilent() {
        RecordingListener l = new RecordingListener();
        origin.listen("", l);
        Broadcast first = b("p");
        Broadcast second = b("p");
        origin.announce(first);
        origin.announce(second);
        origin.withdraw(first);
        assertSame(second, origin.get("p"));
        assertEquals(List.of("+p", "-p", "+p"), l.events());
    }

    @Test
    void aListenerMayHearARouteChangeAsOneEvent() {
        List<String> heard = new ArrayList<>();
        origin.listen("", new AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast broadcast) {
                heard.add("+" + broadcast.path());
            }

            @Override
            public void onWithdraw(String path) {
                heard.add("-" + path);
            }

            @Override
            public void onReplace(Broadcast previous, Broadcast next) {
                heard.add(previous.path() + "->" + next.path());
            }
        });
        Broadcast first = b("p");
        Broadcast second = b("p");
        origin.announce(first);
        origin.announce(second);
        origin.withdraw(second);
        origin.withdraw(first);
        assertEquals(List.of("+p", "p->p", "p->p", "-p"), heard);
    }

    @Test
    void aSourcedBroadcastThatLosesItsRouteEndsItsSubscriptionsAndLetsItsTracksGo() {
        List<Track> unused = new ArrayList<>();
        TrackSource source = new TrackSource() {
            @Override
            public void onTrackRequested(Track track) {
            }

            @Override
            public void onTrackUnused(Track track) {
                unused.add(track);
            }
        };
        Broadcast silent = new Broadcast("p/x", Frames.cache(8), source, null, 0, List.of());
        origin.announce(silent);
        Track video = silent.requestTrack("video");
        ManualExecutor loop = new ManualExecutor();
        RecordingSubscriber viewer = new RecordingSubscriber(loop);
        video.subscribe(viewer);
        loop.runAll();

        Broadcast republished = new Broadcast("p/x", Frames.cache(8), source, null, 0, List.of());
        origin.announce(republished);
        assertSame(republished, origin.get("p/x"));
        assertEquals(1, origin.routeChanges());
        assertTrue(video.isClosed(), "the old route's track ended at once");
        assertEquals(Broadcast.ROUTE_LOST_CODE, video.closeCode());
        assertEquals(List.of(video), unused, "its source was told to stop filling it");
        assertNull(silent.track("video"));
        loop.runAll();
        assertEquals(0, viewer.done.getCount(), "the subscriber saw the end");
        assertFalse(silent.isClosed(), "the old route stays as a fallback");

        // The fallback takes over again: asked anew, it makes a fresh track.
        origin.withdraw(republished);
        assertSame(silent, origin.get("p/x"));
        Track again = silent.requestTrack("video");
        assertFalse(again.isClosed());
        assertNotSame(video, again);
    }

    @Test
    void aStaticBroadcastKeepsItsProducersTracksWhenReplaced() {
        Broadcast first = b("p");
        Track t = first.createTrack("video");
        origin.announce(first);
        origin.announce(b("p"));
        assertFalse(t.isClosed());
        assertSame(t, first.track("video"));
    }

    @Test
    void whenTheActiveRouteGoesTheOneWithFewestHopsTakesOver() {
        Broadcast near = b("p", "relay-a");
        Broadcast far = b("p", "relay-b", "relay-c");
        Broadcast newest = b("p", "relay-d", "relay-e", "relay-f");
        origin.announce(near);
        origin.announce(far);
        origin.announce(newest);
        origin.withdraw(newest);
        assertSame(near, origin.get("p"));
    }

    @Test
    void closingABroadcastWithdrawsIt() {
        RecordingListener l = new RecordingListener();
        origin.listen("", l);
        Broadcast alice = b("alice");
        origin.announce(alice);
        alice.close();
        assertNull(origin.get("alice"));
        assertEquals(List.of("+alice", "-alice"), l.events());
    }

    @Test
    void aClosedRegistrationHearsNothingMore() {
        RecordingListener l = new RecordingListener();
        Origin.Registration r = origin.listen("room", l);
        assertEquals("room", r.prefix());
        r.close();
        origin.announce(b("room/alice"));
        assertEquals(List.of(), l.events());
    }

    @Test
    void announcingTheSameBroadcastTwiceStillLetsOneWithdrawRemoveIt() {
        Broadcast alice = b("alice");
        origin.announce(alice);
        origin.announce(alice);
        origin.withdraw(alice);
        assertNull(origin.get("alice"));
    }

    @RepeatedTest(20)
    void concurrentAnnounceAndWithdrawEndConsistent() throws Exception {
        RecordingListener early = new RecordingListener();
        origin.listen("room", early);
        int threads = 4;
        int paths = 8;
        List<List<Broadcast>> survivors = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            List<Broadcast> mine = new ArrayList<>();
            survivors.add(mine);
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    Broadcast x = b("room/p" + ((i + me) % paths));
                    origin.announce(x);
                    if (i % 4 != 0) {
                        origin.withdraw(x);
                    } else if (i % 8 == 0) {
                        x.close();
                    } else {
                        mine.add(x);
                    }
                }
            }));
        }
        RecordingListener during = new RecordingListener();
        go.countDown();
        origin.listen("room", during);
        for (Thread t : ts) {
            t.join(30_000);
        }
        RecordingListener late = new RecordingListener();
        origin.listen("room", late);
        List<Broadcast> active = origin.list("room");
        assertEquals(active.size(), origin.size());
        for (Broadcast x : active) {
            assertSame(x, late.active.get(x.path()));
            assertSame(x, early.active.get(x.path()), "a listener from before agrees");
            assertSame(x, during.active.get(x.path()), "a listener registered meanwhile agrees");
        }
        assertEquals(active.size(), early.active.size());
        assertEquals(active.size(), during.active.size());
        int kept = survivors.stream().mapToInt(List::size).sum();
        for (List<Broadcast> mine : survivors) {
            for (Broadcast x : mine) {
                x.close();
            }
        }
        assertEquals(0, origin.size(), "every route withdrawn once all " + kept + " survivors closed");
        assertEquals(0, early.active.size());
    }
}
