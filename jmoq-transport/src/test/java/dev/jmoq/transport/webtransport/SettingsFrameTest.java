package dev.jmoq.transport.webtransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our HTTP/3 control stream's SETTINGS, read back the way a client reads them: each check below is a
 * requirement of a real WebTransport client (Chromium; quic-go's webtransport-go as gomoqt uses it,
 * {@code client.go} in github.com/okdaichi/webtransport-go).
 */
class SettingsFrameTest {
    private static Map<Long, Long> settings() {
        ByteBuf frame = WebTransportServer.settingsFrame(new UnpooledByteBufAllocator(false));
        try {
            assertEquals(H3.STREAM_CONTROL, VarInt.read(frame), "control stream type");
            assertEquals(H3.FRAME_SETTINGS, VarInt.read(frame), "SETTINGS frame type");
            long length = VarInt.read(frame);
            assertEquals(frame.readableBytes(), length, "frame length covers the rest");
            Map<Long, Long> out = new LinkedHashMap<>();
            while (frame.isReadable()) {
                long id = VarInt.read(frame);
                long value = VarInt.read(frame);
                assertEquals(null, out.put(id, value), "setting " + Long.toHexString(id) + " sent twice");
            }
            return out;
        } finally {
            frame.release();
        }
    }

    @Test
    void webtransportGoRequirementsAreMet() {
        Map<Long, Long> s = settings();
        // webtransport-go Dialer: EnableExtendedConnect, EnableDatagrams, then Other[0x2c7cf000] != 0.
        assertEquals(1L, s.get(0x08L), "SETTINGS_ENABLE_CONNECT_PROTOCOL");
        assertEquals(1L, s.get(0x33L), "SETTINGS_H3_DATAGRAM");
        assertEquals(1L, s.get(0x2c7cf000L), "SETTINGS_WT_ENABLED");
    }

    @Test
    void chromiumDraft02SettingStaysBesideTheNewOne() {
        assertEquals(1L, settings().get(0x2b603742L), "ENABLE_WEBTRANSPORT (draft-02)");
    }

    @Test
    void flowControlIsNotOffered() {
        // draft-ietf-webtrans-http3 section 5.1: any non-zero initial limit from both sides turns on
        // WebTransport flow control, whose capsules we do not implement.
        Map<Long, Long> s = settings();
        for (long id : new long[] {0x2b61L, 0x2b64L, 0x2b65L}) {
            assertFalse(s.containsKey(id), "SETTINGS_WT_INITIAL_MAX_* 0x" + Long.toHexString(id));
        }
        assertTrue(s.values().stream().allMatch(v -> v <= 1), "WT_ENABLED above 1 is a client error");
    }
}
