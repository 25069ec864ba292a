package dev.jmoq.transport.webtransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzz targets for the WebTransport-over-HTTP/3 decoders: HTTP/3 frames and capsules
 * (type-length-value), QPACK field sections (static table) and Huffman strings.
 *
 * <p>Invariants: only {@link ProtocolException} with an HTTP/3 or QPACK code escapes; an incomplete frame
 * or capsule consumes nothing; a decoded field section re-encodes to one that decodes to the same fields;
 * the input is neither retained nor released (its reference count is checked; Netty's leak detector runs
 * at PARANOID). Seeds and saved findings: {@code H3FuzzTestInputs/<method>/}; docs/fuzzing.md.
 */
class H3FuzzTest {
    private static final Set<Long> CODES = Set.of(H3.H3_FRAME_ERROR, H3.H3_MESSAGE_ERROR, H3.QPACK_DECOMPRESSION_FAILED,
            H3.H3_GENERAL_PROTOCOL_ERROR);

    /**
     * A request stream as the server reads it: HTTP/3 frames until a HEADERS frame (decoded with QPACK), then
     * capsules (CLOSE_WEBTRANSPORT_SESSION parsed as the session does). The first byte sets the read size.
     */
    @FuzzTest
    void requestStream(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int chunk = 1 + (data[0] & 0xff);
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(data.length);
        try {
            boolean connected = false;
            int available = 1;
            while (true) {
                available = Math.min(data.length, available + chunk);
                in.writeBytes(data, in.writerIndex() + 1, available - 1 - in.writerIndex());
                int before = in.readerIndex();
                TypeLengthValue tlv = TypeLengthValue.tryRead(in, WebTransportServer.MAX_HEADERS,
                        connected ? H3.H3_MESSAGE_ERROR : H3.H3_FRAME_ERROR);
                if (tlv == null) {
                    assertEquals(before, in.readerIndex(), "an incomplete frame consumed bytes");
                    if (available == data.length) {
                        break;
                    }
                    continue;
                }
                assertTrue(tlv.value().readableBytes() <= WebTransportServer.MAX_HEADERS);
                if (connected) {
                    ByteBuf value = tlv.value();
                    if (tlv.type() == H3.CAPSULE_CLOSE_WEBTRANSPORT_SESSION && value.readableBytes() >= 4) {
                        value.readUnsignedInt();
                        value.toString(StandardCharsets.UTF_8);
                    }
                } else if (tlv.type() == H3.FRAME_HEADERS) {
                    roundTrip(Qpack.decode(tlv.value(), 64));
                    connected = true;
                }
            }
        } catch (ProtocolException e) {
            assertCode(e);
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    /** One QPACK field section (a HEADERS payload). */
    @FuzzTest
    void fieldSection(byte[] data) {
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(Math.max(1, data.length));
        in.writeBytes(data);
        try {
            List<Qpack.Field> fields = Qpack.decode(in, 64);
            assertTrue(fields.size() <= 64);
            assertEquals(0, in.readableBytes(), "a field section decoded without consuming all of it");
            roundTrip(fields);
        } catch (ProtocolException e) {
            assertCode(e);
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    /** A Huffman string: decodes to at most 8/5 of its length in ISO-8859-1 characters, or fails cleanly. */
    @FuzzTest
    void huffman(byte[] data) {
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(Math.max(1, data.length));
        in.writeBytes(data);
        try {
            String s = Huffman.decode(in, data.length);
            assertTrue(s.length() <= data.length * 8 / 5, "too long a decoding: " + s.length());
            assertTrue(s.chars().allMatch(c -> c < 256));
            assertEquals(0, in.readableBytes());
        } catch (ProtocolException e) {
            assertCode(e);
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    private static void roundTrip(List<Qpack.Field> fields) throws ProtocolException {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (Qpack.Field f : fields) {
            entries.add(new AbstractMap.SimpleEntry<>(f.name(), f.value()));
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            Qpack.encode(out, entries);
            assertEquals(fields, Qpack.decode(out, 64), "QPACK decode(encode(fields)) differs");
        } finally {
            out.release();
        }
    }

    private static void assertCode(ProtocolException e) {
        assertTrue(CODES.contains(e.code()), "unexpected error code 0x" + Long.toHexString(e.code()) + ": " + e.getMessage());
        assertTrue(e.sessionFatal());
    }
}
