package dev.jmoq.cli.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jmoq.testkit.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class HangFrameTest {
    @Test
    void aVarintTimestampInMicrosThenThePayload() {
        ByteBuf f = HangFrame.encode(ByteBufAllocator.DEFAULT, 1_000_000, ByteBuffer.wrap(new byte[] {7, 8, 9}));
        try {
            // 1 000 000 needs the 4-byte form: 0x80 | value
            assertEquals("800f424007" + "0809", ByteBufUtil.hexDump(f));
            HangFrame d = HangFrame.decode(f);
            assertEquals(1_000_000, d.timestampMicros());
            assertEquals("070809", ByteBufUtil.hexDump(d.payload()));
        } finally {
            f.release();
        }
    }

    @Test
    void smallAndHugeTimestamps() {
        for (long ts : new long[] {0, 63, 64, 16_383, 16_384, (1L << 30) - 1, 1L << 30, 86_400_000_000L * 365}) {
            ByteBuf f = HangFrame.encode(ByteBufAllocator.DEFAULT, ts, ByteBuffer.allocate(0));
            try {
                assertEquals(ts, HangFrame.decode(f).timestampMicros());
                assertEquals(0, HangFrame.decode(f).payload().readableBytes());
            } finally {
                f.release();
            }
        }
    }

    @Test
    void aTruncatedTimestampIsRefused() {
        assertThrows(Mp4Exception.class, () -> HangFrame.decode(Unpooled.EMPTY_BUFFER));
        ByteBuf cut = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x0f});
        try {
            assertThrows(Mp4Exception.class, () -> HangFrame.decode(cut));
        } finally {
            cut.release();
        }
        assertThrows(IllegalArgumentException.class, () -> HangFrame.encode(ByteBufAllocator.DEFAULT, -1, ByteBuffer.allocate(0)));
    }
}
