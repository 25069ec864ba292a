package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a frame carries besides its payload: timestamps (moq-lite-05), object ids with gaps, extension
 * headers kept as received, object status, and how a group ended. Plain frames carry none of it.
 */
class GroupExtrasTest {
    private final Track track = new Track("t", null, new CacheConfig(8, Duration.ofHours(1), ByteBudget.unlimited()));

    @AfterEach
    void tearDown() {
        track.close();
        track.clear();
    }

    @Test
    void aGroupCarriesThePublisherPriorityItWasCreatedWith() {
        // Set inside createGroup, before the group is in the ring where subscribers find it.
        assertEquals(37, track.createGroup(0, false, 37).publisherPriority());
        assertEquals(37, track.bySequence(0).publisherPriority());
        Group datagram = track.createDatagramGroup(1, 200);
        assertEquals(200, datagram.publisherPriority());
        assertTrue(datagram.isDatagram());
        assertEquals(Group.DEFAULT_PUBLISHER_PRIORITY, track.createGroup(2, false, -1).publisherPriority());
        for (long g = 0; g < 3; g++) {
            track.bySequence(g).finish();
        }
    }

    @Test
    void plainFramesHaveIndexIdsNoTimestampsNoExtensionsAndNormalStatus() {
        Group g = track.createGroup(0);
        g.append(bytes("a"));
        g.append(bytes("b"));
        assertFalse(g.hasTimestamps());
        assertEquals(1, g.objectId(1));
        assertEquals(Group.NO_TIMESTAMP, g.timestamp(1));
        assertNull(g.extensions(0));
        assertEquals(ObjectStatus.NORMAL, g.objectStatus(0));
        g.finish();
        assertEquals(ObjectStatus.END_OF_GROUP, g.endStatus());
    }

    @Test
    void timestampsObjectIdsExtensionsAndStatusAreKeptPerFrame() {
        Group g = track.createGroup(0);
        g.append(bytes("plain"));                                                       // id 0
        g.append(5, 9000, bytes("ext"), ObjectStatus.NORMAL, bytes("x"), true);          // id 5 (gap)
        g.append(Group.NEXT_OBJECT, 12000, null, ObjectStatus.NORMAL, bytes("y"), true); // id 6
        g.append(bytes("z"));                                                           // id 7
        g.append(9, Group.NO_TIMESTAMP, null, 0x7f, bytes(""), true);                   // an unknown status, kept
        for (int i = 0; i < 20; i++) {
            g.append(bytes("more")); // grows every parallel array
        }
        g.finish(ObjectStatus.END_OF_TRACK);
        assertEquals(0, g.objectId(0));
        assertEquals(5, g.objectId(1));
        assertEquals(6, g.objectId(2));
        assertEquals(7, g.objectId(3));
        assertEquals(9, g.objectId(4));
        assertEquals(29, g.objectId(24));
        assertTrue(g.hasTimestamps());
        assertEquals(Group.NO_TIMESTAMP, g.timestamp(0));
        assertEquals(9000, g.timestamp(1));
        assertEquals(12000, g.timestamp(2));
        assertEquals(Group.NO_TIMESTAMP, g.timestamp(3));
        assertEquals("ext", text(g.extensions(1)));
        assertNull(g.extensions(2));
        assertEquals(0x7f, g.objectStatus(4));
        assertEquals(ObjectStatus.NORMAL, g.objectStatus(24));
        assertEquals(ObjectStatus.END_OF_TRACK, g.endStatus());
        // The leak detector checks that the extension headers were released with the frames.
    }

    @Test
    void objectIdsMustIncrease() {
        Group g = track.createGroup(0);
        g.append(3, Group.NO_TIMESTAMP, null, ObjectStatus.NORMAL, bytes("a"), true);
        assertThrows(IllegalArgumentException.class,
                () -> g.append(3, Group.NO_TIMESTAMP, bytes("e"), ObjectStatus.NORMAL, bytes("b"), true));
        assertEquals(1, g.frameCount());
        g.finish();
    }

    @Test
    void aGroupThatDoesNotExistEndsWithThatStatusAndNoFrames() {
        Group g = track.createGroup(4);
        g.finish(ObjectStatus.DOES_NOT_EXIST);
        assertTrue(g.isFinished());
        assertEquals(0, g.frameCount());
        assertEquals(ObjectStatus.DOES_NOT_EXIST, g.endStatus());
    }

    @Test
    void aClosedGroupReleasesWhatItIsGiven() {
        Group g = track.createGroup(0);
        g.finish();
        ByteBuf payload = bytes("late");
        ByteBuf ext = bytes("ext");
        assertFalse(g.append(1, 1, ext, ObjectStatus.NORMAL, payload, true));
        assertEquals(0, payload.refCnt());
        assertEquals(0, ext.refCnt());
    }

    private static ByteBuf bytes(String s) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer();
        b.writeCharSequence(s, java.nio.charset.StandardCharsets.US_ASCII);
        return b;
    }

    private static String text(ByteBuf b) {
        return new String(ByteBufUtil.getBytes(b), java.nio.charset.StandardCharsets.US_ASCII);
    }
}
