package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    @Test
    void waitsUntilEachFrameIsDueAndNeverForALateOne() throws Exception {
        long[] now = {1_000_000_000L};
        List<Long> sleeps = new ArrayList<>();
        Pacer p = new Pacer(() -> now[0], n -> {
            sleeps.add(n);
            now[0] += n;
        });
        p.await(5_000_000); // first frame: the reference, no wait
        p.await(5_040_000); // due 40 ms later
        now[0] += 100_000_000L; // the reader stalls 100 ms
        p.await(5_080_000); // already late: no wait
        p.await(5_200_000); // due at +200 ms, now at +140 ms
        assertEquals(List.of(40_000_000L, 60_000_000L), sleeps);
    }
}
