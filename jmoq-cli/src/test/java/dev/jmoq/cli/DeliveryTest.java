package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The window's accounting: frames stamped inside it count, also when they arrive after it closed. */
class DeliveryTest {
    @Test
    void framesStillOnTheirWayWhenTheWindowEndsAreWaitedForAndCounted() throws Exception {
        Delivery d = new Delivery();
        d.startWindow();
        long stamp = System.nanoTime();
        d.frame(stamp, 0);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread late = new Thread(() -> {
            try {
                waiting.await();
                Thread.sleep(200); // the straggler is late, not lost
            } catch (InterruptedException e) {
                return;
            }
            d.frame(stamp, 1);
            d.frame(stamp, 2);
        });
        late.start();
        waiting.countDown();
        d.awaitStragglers(() -> 3, 30_000, 60_000);
        assertEquals(3, d.received.sum(), "the late frames counted");
        assertEquals(3, d.framesSpanned());
        late.join();
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
