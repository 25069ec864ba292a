package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mp4BoxReaderTest {
    @Test
    void readsTopLevelBoxesOfAnFfmpegFileInOrderWithTheirOffsets() throws Exception {
        byte[] file = Fixtures.bytes(Fixtures.OPUS);
        Mp4BoxReader r = new Mp4BoxReader(Fixtures.trickle(file, 7));
        List<String> types = new ArrayList<>();
        long expectedOffset = 0;
        for (Mp4Box b = r.next(); b != null; b = r.next()) {
            assertEquals(expectedOffset, b.offset());
            expectedOffset += b.size();
            types.add(b.type());
        }
        assertEquals(file.length, expectedOffset);
        assertEquals(List.of("ftyp", "moov"), types.subList(0, 2));
        assertEquals(types.stream().filter("moof"::equals).count(), types.stream().filter("mdat"::equals).count());
        assertTrue(types.stream().filter("moof"::equals).count() >= 30);
    }

    @Test
    void aStreamEndingInsideABoxIsAnEofNotACleanEnd() throws Exception {
        byte[] file = Fixtures.bytes(Fixtures.OPUS);
        Mp4BoxReader r = new Mp4BoxReader(new ByteArrayInputStream(Arrays.copyOf(file, 40)));
        assertEquals("ftyp", r.next().type());
        assertThrows(EOFException.class, r::next);
        assertNull(new Mp4BoxReader(new ByteArrayInputStream(new byte[0])).next());
        assertThrows(EOFException.class, () -> new Mp4BoxReader(new ByteArrayInputStream(new byte[5])).next());
    }

    @Test
    void aBoxAboveTheBoundIsRefusedBeforeAnyAllocation() {
        byte[] header = ByteBuffer.allocate(8).putInt(0x7FFF_FFF0).put("mdat".getBytes()).array();
        Mp4Exception e = assertThrows(Mp4Exception.class, () -> new Mp4BoxReader(new ByteArrayInputStream(header), 1 << 20).next());
        assertTrue(e.getMessage().contains("mdat"), e.getMessage());
    }

    @Test
    void sizesBelowTheHeaderOrToEndOfFileAreRefused() {
        byte[] tiny = ByteBuffer.allocate(8).putInt(4).put("free".getBytes()).array();
        assertThrows(Mp4Exception.class, () -> new Mp4BoxReader(new ByteArrayInputStream(tiny)).next());
        byte[] toEnd = ByteBuffer.allocate(8).putInt(0).put("mdat".getBytes()).array();
        assertThrows(Mp4Exception.class, () -> new Mp4BoxReader(new ByteArrayInputStream(toEnd)).next());
    }

    @Test
    void readsA64BitSize() throws Exception {
        byte[] box = ByteBuffer.allocate(20).putInt(1).put("free".getBytes()).putLong(20).putInt(42).array();
        Mp4Box b = new Mp4BoxReader(new ByteArrayInputStream(box)).next();
        assertEquals(16, b.headerSize());
        assertEquals(4, b.body().remaining());
        assertEquals(42, b.body().getInt(0));
    }

    @Test
    void aChildRunningPastItsParentIsRefused() {
        ByteBuffer parent = ByteBuffer.allocate(12).putInt(20).put("trak".getBytes()).putInt(0).flip();
        assertThrows(Mp4Exception.class, () -> Mp4Box.children(parent, 0));
    }
}
