package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.testkit.Await;
import org.junit.jupiter.api.Test;

/** The window's accounting: frames stamped inside it count, also when they arrive after it closed. */
class DeliveryTest {
    @Test
    void framesStillOnTheirWayWhenTheWindowEndsAreWaitedForAndCounted() throws Exception {
        Delivery d = new Delivery();
        d.startWindow();
        long stamp = System.nanoTime();
        d.frame(stamp, 0);
        Thread waiter = new Thread(() -> {
            try {
                d.awaitStragglers(() -> 3, 30_000, 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        // The stragglers arrive once the wait is underway (its poll sleeps between looks), not before.
        Await.until("the wait for stragglers is underway", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        d.frame(stamp, 1);
        d.frame(stamp, 2);
        waiter.join();
        assertEquals(3, d.received.sum(), "the late frames counted");
        assertEquals(3, d.framesSpanned());
    }

    @Test
    void framesStampedBeforeTheWindowDoNotCount() {
        Delivery d = new Delivery();
        long before = System.nanoTime();
        d.startWindow();
        d.frame(before, 7);
        d.frame(System.nanoTime(), 8);
        assertEquals(1, d.received.sum());
        assertEquals(1, d.framesSpanned());
    }
}
