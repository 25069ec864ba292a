package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GroupCounterTest {
    @Test
    void overlappingGroupsEachCountTheirOwnFrames() {
        GroupCounter c = new GroupCounter();
        c.start(7);
        for (int i = 0; i < 29; i++) {
            c.frame(7);
        }
        // group 8 starts (newest first) while 7 still has a frame to come
        c.start(8);
        c.frame(8);
        c.frame(7);
        for (int i = 1; i < 30; i++) {
            c.frame(8);
        }
        assertEquals(2, c.open());
        assertEquals(30, c.end(7));
        assertEquals(30, c.end(8));
        assertEquals(0, c.open());
        assertEquals(0, c.end(9));
    }
}
