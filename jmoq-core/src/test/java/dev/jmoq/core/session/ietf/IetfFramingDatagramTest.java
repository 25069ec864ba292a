package dev.jmoq.core.session.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.model.Track;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectDatagram;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code IetfFraming.datagram}: a model group's objects as OBJECT_DATAGRAMs per draft (14-20, "Object
 * Datagram"), read back with the wire codec: track alias, group, object id (0 and gaps), priority 128,
 * extension headers byte for byte, END_OF_GROUP only where asked, an empty object with a status as a
 * status datagram, and a Does Not Exist object skipped from draft 16 on.
 */
class IetfFramingDatagramTest {
    private static final byte[] EXT = {0x02, 0x05};

    private static ObjectDatagram decode(ByteBuf d, IetfVersion v) throws Exception {
        try {
            return ObjectDatagram.decode(d, v);
        } finally {
            d.release();
        }
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void objectsBecomeDatagramsThatDecodeToTheSameObject(IetfVersion v) throws Exception {
        Track track = new Broadcast("d/" + v, CacheConfig.defaults()).createTrack("video");
        Group g = track.createGroup(7);
        g.publisherPriority(37); // as an IETF publisher sent it: passed on, not the default
        g.append(0, Group.NO_TIMESTAMP, null, ObjectStatus.NORMAL, Unpooled.copiedBuffer("zero", StandardCharsets.UTF_8), false);
        g.append(3, Group.NO_TIMESTAMP, Unpooled.wrappedBuffer(EXT), ObjectStatus.NORMAL,
                Unpooled.copiedBuffer("three", StandardCharsets.UTF_8), false);
        g.append(4, Group.NO_TIMESTAMP, null, ObjectStatus.DOES_NOT_EXIST, Unpooled.EMPTY_BUFFER, false);
        g.append(6, Group.NO_TIMESTAMP, null, ObjectStatus.NORMAL, Unpooled.copiedBuffer("six", StandardCharsets.UTF_8), false);
        g.finish();
        IetfFraming framing = new IetfFraming(v);
        assertTrue(framing.supportsDatagrams());

        ObjectDatagram first = decode(framing.datagram(ByteBufAllocator.DEFAULT, 11, g, 0, false), v);
        assertEquals(11, first.trackAlias());
        assertEquals(7, first.groupId());
        assertEquals(0, first.objectId());
        assertEquals(37, first.publisherPriority());
        assertFalse(first.endOfGroup());
        assertNull(first.properties());
        assertEquals("zero", first.payload().toString(StandardCharsets.UTF_8));
        first.release();

        ObjectDatagram ext = decode(framing.datagram(ByteBufAllocator.DEFAULT, 11, g, 1, false), v);
        assertEquals(3, ext.objectId());
        assertEquals(ByteBufUtil.hexDump(EXT), ByteBufUtil.hexDump(ext.properties()));
        assertEquals("three", ext.payload().toString(StandardCharsets.UTF_8));
        ext.release();

        ByteBuf absent = framing.datagram(ByteBufAllocator.DEFAULT, 11, g, 2, false);
        if (v.draft() <= 15) {
            ObjectDatagram status = decode(absent, v);
            assertNull(status.payload(), "a status datagram");
            assertEquals(4, status.objectId());
            assertEquals(ObjectStatus.DOES_NOT_EXIST, status.status());
            status.release();
        } else {
            assertNull(absent, "from 16 an absent object is a gap in the ids");
        }

        ObjectDatagram last = decode(framing.datagram(ByteBufAllocator.DEFAULT, 11, g, 3, true), v);
        assertEquals(6, last.objectId());
        assertTrue(last.endOfGroup(), "END_OF_GROUP where asked");
        assertEquals("six", last.payload().toString(StandardCharsets.UTF_8));
        last.release();
        track.close();
    }
}
