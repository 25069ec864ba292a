package dev.jmoq.wire.lite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzz targets for every moq-lite decoder: the control and stream-header messages of
 * each draft, the stream type prefixes, datagram headers, and the group/fetch data streams.
 *
 * <p>Input layout: the first byte picks the draft (and, for messages, the decoder); the rest is what a
 * peer sent. Invariants: only {@link ProtocolException} with a moq-lite code escapes; an incomplete
 * message consumes nothing; a decoded message re-encodes to bytes that decode to the same encoding;
 * a data stream decodes to the same frames whatever its chunking; every buffer is released (the input's
 * reference count is checked, and Netty's leak detector runs at PARANOID). Regression mode (every build)
 * runs the seeds and saved findings in {@code LiteDecoderFuzzTestInputs/<method>/}; docs/fuzzing.md
 * says how to fuzz.
 */
class LiteDecoderFuzzTest {
    private static final LiteVersion[] VERSIONS = LiteVersion.values();
    private static final int MAX_SIZE = 4096;
    private static final int MAX_FRAME = 1 << 16;

    /** The decoders a selector byte picks from, in a fixed order (seeds depend on it). */
    static final List<MessageDecoder<? extends LiteMessage>> DECODERS = List.of(
            ClientSetup.DECODER, ServerSetup.DECODER, SessionClient.DECODER, SessionServer.DECODER,
            SessionInfo.DECODER, Setup.DECODER, AnnouncePlease.DECODER, Announce.DECODER, AnnounceInit.DECODER,
            AnnounceOk.DECODER, Subscribe.DECODER, SubscribeUpdate.DECODER, SubscribeResponse.DECODER,
            Fetch.DECODER, Probe.DECODER, Goaway.DECODER, Track.DECODER, TrackInfo.DECODER, GroupHeader.DECODER);

    /** The selector byte for a draft and a decoder. */
    static int selector(LiteVersion v, int decoder) {
        return decoder * VERSIONS.length + v.ordinal();
    }

    @FuzzTest
    void controlMessage(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        int sel = data[0] & 0xff;
        LiteVersion v = VERSIONS[sel % VERSIONS.length];
        MessageDecoder<? extends LiteMessage> decoder = DECODERS.get((sel / VERSIONS.length) % DECODERS.size());
        ByteBuf in = copy(data, 1);
        try {
            int start = in.readerIndex();
            LiteMessage m;
            try {
                m = decoder.tryDecode(in, v, MAX_SIZE);
            } catch (ProtocolException e) {
                assertKnownCode(e);
                return;
            }
            if (m == null) {
                assertEquals(start, in.readerIndex(), "an incomplete message consumed bytes");
                return;
            }
            int consumed = in.readerIndex() - start;
            assertTrue(m.existsIn(v), m + " decoded in " + v);
            // Every prefix of a message that decodes is incomplete: nothing consumed, no error.
            int cut = consumed == 0 ? 0 : (data.length * 31) % consumed;
            ByteBuf prefix = in.retainedSlice(start, cut);
            try {
                assertNull(decoder.tryDecode(prefix, v, MAX_SIZE), "a prefix of " + cut + " bytes decoded");
                assertEquals(0, prefix.readerIndex());
            } finally {
                prefix.release();
            }
            byte[] once = encode(m, v);
            ByteBuf again = copy(once, 0);
            try {
                LiteMessage m2 = decoder.tryDecode(again, v, Math.max(MAX_SIZE, once.length));
                assertEquals(once.length, again.readerIndex(), "re-encoded " + m + " not consumed exactly");
                assertArrayEquals(once, encode(m2, v), "decode(encode(m)) differs from m: " + m);
            } finally {
                again.release();
            }
        } finally {
            assertEquals(1, in.refCnt(), "decoder retained or released the input");
            in.release();
        }
    }

    @FuzzTest
    void streamTypes(byte[] data) {
        if (data.length == 0) {
            return;
        }
        LiteVersion v = VERSIONS[(data[0] & 0xff) % VERSIONS.length];
        boolean control = (data[0] & 0x80) != 0;
        ByteBuf in = copy(data, 1);
        try {
            int start = in.readerIndex();
            Object type = control ? LiteControlType.tryRead(in, v) : LiteDataType.tryRead(in, v);
            if (type == null) {
                assertEquals(start, in.readerIndex(), "an incomplete stream type consumed bytes");
            }
        } catch (ProtocolException e) {
            assertKnownCode(e);
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    @FuzzTest
    void datagram(byte[] data) {
        if (data.length == 0) {
            return;
        }
        LiteVersion v = VERSIONS[(data[0] & 0xff) % VERSIONS.length];
        ByteBuf in = copy(data, 1);
        try {
            Datagram d = Datagram.decode(in, v);
            try {
                assertEquals(0, in.readerIndex(), "decoding consumed the datagram");
                ByteBuf again = ByteBufAllocator.DEFAULT.buffer();
                try {
                    Datagram.writeHeader(again, v, d.subscribe(), d.sequence(), d.timestamp());
                    again.writeBytes(d.payload(), d.payload().readerIndex(), d.payload().readableBytes());
                    Datagram d2 = Datagram.decode(again, v);
                    try {
                        assertEquals(List.of(d.subscribe(), d.sequence(), d.timestamp()),
                                List.of(d2.subscribe(), d2.sequence(), d2.timestamp()));
                        assertEquals(d.payload(), d2.payload());
                    } finally {
                        d2.release();
                    }
                } finally {
                    again.release();
                }
            } finally {
                d.release();
            }
        } catch (ProtocolException e) {
            assertKnownCode(e);
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    /**
     * A group stream (or, with the selector's high bit, a fetch response) fed whole and in chunks: both
     * yield the same header, the same frames and the same verdict at FIN.
     */
    @FuzzTest
    void groupStream(byte[] data) throws Exception {
        if (data.length < 2) {
            return;
        }
        LiteVersion v = VERSIONS[(data[0] & 0x7f) % VERSIONS.length];
        boolean fetch = (data[0] & 0x80) != 0;
        int chunk = 1 + (data[1] & 0xff);
        String whole = decodeStream(v, fetch, Arrays.copyOfRange(data, 2, data.length), Integer.MAX_VALUE);
        String chunked = decodeStream(v, fetch, Arrays.copyOfRange(data, 2, data.length), chunk);
        assertEquals(whole, chunked, "chunks of " + chunk + " bytes decode differently");
    }

    /** Decodes a whole stream fed in chunks of {@code chunk} bytes; returns a transcript of what it saw. */
    private static String decodeStream(LiteVersion v, boolean fetch, byte[] bytes, int chunk) {
        StringBuilder out = new StringBuilder();
        List<ByteBuf> chunks = new ArrayList<>();
        GroupStreamDecoder d = fetch ? GroupStreamDecoder.forFetchStream(ByteBufAllocator.DEFAULT, v, MAX_FRAME)
                : GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, v, MAX_FRAME);
        try {
            for (int at = 0; at < bytes.length; at += chunk) {
                ByteBuf c = copy(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk)), 0);
                chunks.add(c.retain());
                d.feed(c);
                if (!fetch && d.header() == null) {
                    GroupHeader h = d.readHeader();
                    if (h == null) {
                        continue;
                    }
                    out.append(h).append('\n');
                }
                Frame f;
                while ((f = d.readFrame()) != null) {
                    try {
                        out.append(f.timestamp()).append(':').append(ByteBufUtil.hexDump(f.payload())).append('\n');
                    } finally {
                        f.payload().release();
                    }
                }
            }
            d.finish();
            out.append("fin");
        } catch (ProtocolException e) {
            assertKnownCode(e);
            out.append("error ").append(e.code());
        } finally {
            d.close();
            for (ByteBuf c : chunks) {
                assertEquals(1, c.refCnt(), "the decoder kept a chunk after close");
                c.release();
            }
        }
        return out.toString();
    }

    static void assertKnownCode(ProtocolException e) {
        assertTrue(!LiteErrorCode.name(e.code()).startsWith("unknown") && e.code() < LiteErrorCode.APP_OFFSET,
                "protocol error with an unknown code " + e.code() + ": " + e.getMessage());
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "protocol error without a message");
    }

    private static byte[] encode(LiteMessage m, LiteVersion v) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            m.encode(out, v);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static ByteBuf copy(byte[] data, int from) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(Math.max(1, data.length - from));
        b.writeBytes(data, from, data.length - from);
        return b;
    }
}
