package dev.jmoq.wire.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;

/**
 * Coverage-guided fuzz targets for every moq-transport (drafts 14-20) decoder: control messages
 * ({@link ControlCodec#tryRead}), uni stream types ({@link DataStreamType#peek}), subgroup and fetch data
 * streams, object and status datagrams, and the MoQT / QUIC variable-length integers.
 *
 * <p>Input layout: the first byte picks the draft ({@code % 7}, plus a flag in the high bit where a target
 * has one); the rest is what a peer sent. Invariants: only {@link ProtocolException} with a code the draft
 * defines (PROTOCOL_VIOLATION, or KEY_VALUE_FORMATTING_ERROR for a repeated parameter) escapes; an incomplete
 * message consumes nothing; a decoded message re-encodes, and the re-encoding decodes to an equal record
 * that encodes to the same bytes (and is the input itself when it is as long: shortest fields re-encode
 * byte for byte); a data stream decodes alike whole and in chunks, and its re-encoding
 * decodes to the same objects; every buffer is released exactly once (input and chunk reference counts are
 * checked, and Netty's leak detector runs at PARANOID). Regression mode (every build) replays the seeds and
 * saved findings in {@code IetfDecoderFuzzTestInputs/<method>/} ({@link IetfFuzzSeeds} writes the seeds).
 */
class IetfDecoderFuzzTest {
    static final IetfVersion[] VERSIONS = IetfVersion.values();
    static final int MAX_OBJECT = 1 << 16;

    @FuzzTest
    void controlMessage(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        IetfVersion v = VERSIONS[(data[0] & 0xff) % VERSIONS.length];
        ByteBuf in = copy(data, 1);
        try {
            IetfMessage m;
            try {
                m = ControlCodec.tryRead(in, v, IetfLimits.MAX_CONTROL_MESSAGE);
            } catch (ProtocolException e) {
                assertKnownCode(e, v);
                assertEquals(0, in.readerIndex(), "a failed message consumed bytes");
                return;
            }
            if (m == null) {
                assertEquals(0, in.readerIndex(), "an incomplete message consumed bytes");
                return;
            }
            int consumed = in.readerIndex();
            assertTrue(m.type(v) >= 0, m + " decoded in " + v + " but has no type there");
            // Every prefix of a message that decodes is incomplete: nothing consumed, no error.
            int cut = (data.length * 31) % consumed;
            ByteBuf prefix = in.retainedSlice(0, cut);
            try {
                assertNull(ControlCodec.tryRead(prefix, v, IetfLimits.MAX_CONTROL_MESSAGE), "a prefix of " + cut + " bytes decoded");
                assertEquals(0, prefix.readerIndex());
            } finally {
                prefix.release();
            }
            byte[] once = encode(m, v);
            // The encoder writes each field in its shortest form: a re-encoding as long as the input is the input.
            if (once.length == consumed) {
                assertArrayEquals(ByteBufUtil.getBytes(in, 0, consumed), once, "a canonical " + m + " re-encodes differently");
            }
            ByteBuf again = copy(once, 0);
            try {
                IetfMessage m2 = ControlCodec.tryRead(again, v, IetfLimits.MAX_CONTROL_MESSAGE);
                assertEquals(once.length, again.readerIndex(), "re-encoded " + m + " not consumed exactly");
                assertEquals(m, m2, "decode(encode(m)) differs from m");
                assertArrayEquals(once, encode(m2, v), "encode(decode(encode(m))) differs from encode(m): " + m);
            } finally {
                again.release();
            }
        } finally {
            assertEquals(1, in.refCnt(), "the codec retained or released the input");
            in.release();
        }
    }

    @FuzzTest
    void streamTypes(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        IetfVersion v = VERSIONS[(data[0] & 0xff) % VERSIONS.length];
        ByteBuf in = copy(data, 1);
        try {
            DataStreamType kind = DataStreamType.peek(in, v);
            assertEquals(0, in.readerIndex(), "peek consumed bytes");
            if (kind != null) {
                long type = v.varint().get(in, 0);
                assertEquals(kind, DataStreamType.of(type, v));
            }
        } catch (ProtocolException e) {
            assertKnownCode(e, v);
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    /**
     * A subgroup stream fed whole and in chunks of {@code 1 + data[1]} bytes: both yield the same header,
     * objects and verdict at FIN; a stream that decodes re-encodes to one that decodes to the same objects.
     */
    @FuzzTest
    void subgroupStream(byte[] data) throws Exception {
        if (data.length < 2) {
            return;
        }
        IetfVersion v = VERSIONS[(data[0] & 0xff) % VERSIONS.length];
        byte[] bytes = Arrays.copyOfRange(data, 2, data.length);
        IetfStreamTranscript whole = IetfStreamTranscript.subgroup(v, bytes, Integer.MAX_VALUE, MAX_OBJECT);
        IetfStreamTranscript chunked = IetfStreamTranscript.subgroup(v, bytes, 1 + (data[1] & 0xff), MAX_OBJECT);
        assertEquals(whole.text(), chunked.text(), "chunks decode differently");
        if (whole.complete()) {
            byte[] re = whole.reencodeSubgroup(v);
            assertEquals(whole.text(), IetfStreamTranscript.subgroup(v, re, Integer.MAX_VALUE, MAX_OBJECT).text(),
                    "the re-encoded stream decodes differently");
        }
    }

    /**
     * A fetch stream (group order descending when the selector's high bit is set), fed whole and in
     * chunks; re-encoded when it decodes.
     */
    @FuzzTest
    void fetchStream(byte[] data) throws Exception {
        if (data.length < 2) {
            return;
        }
        IetfVersion v = VERSIONS[(data[0] & 0x7f) % VERSIONS.length];
        boolean descending = (data[0] & 0x80) != 0;
        byte[] bytes = Arrays.copyOfRange(data, 2, data.length);
        IetfStreamTranscript whole = IetfStreamTranscript.fetch(v, descending, bytes, Integer.MAX_VALUE, MAX_OBJECT);
        IetfStreamTranscript chunked = IetfStreamTranscript.fetch(v, descending, bytes, 1 + (data[1] & 0xff), MAX_OBJECT);
        assertEquals(whole.text(), chunked.text(), "chunks decode differently");
        if (whole.complete()) {
            byte[] re = whole.reencodeFetch(v, descending);
            assertEquals(whole.text(), IetfStreamTranscript.fetch(v, descending, re, Integer.MAX_VALUE, MAX_OBJECT).text(),
                    "the re-encoded stream decodes differently");
        }
    }

    /** An object or object-status datagram: decodes without consuming the input, re-encodes to the same fields. */
    @FuzzTest
    void datagram(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        IetfVersion v = VERSIONS[(data[0] & 0xff) % VERSIONS.length];
        ByteBuf in = copy(data, 1);
        try {
            if (ObjectDatagram.isPadding(in, v)) {
                return;
            }
            ObjectDatagram d = ObjectDatagram.decode(in.duplicate(), v);
            try {
                ByteBuf again = ByteBufAllocator.DEFAULT.buffer();
                try {
                    d.encode(again, v);
                    ObjectDatagram d2 = ObjectDatagram.decode(again.duplicate(), v);
                    try {
                        assertEquals(d, d2, "decode(encode(d)) differs from d");
                        ByteBuf third = ByteBufAllocator.DEFAULT.buffer();
                        try {
                            d2.encode(third, v);
                            assertEquals(again, third, "encode(decode(encode(d))) differs from encode(d)");
                        } finally {
                            third.release();
                        }
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
            assertKnownCode(e, v);
        } finally {
            assertEquals(0, in.readerIndex(), "decoding moved the input's reader index");
            assertEquals(1, in.refCnt(), "the datagram decoder kept or released the input");
            in.release();
        }
    }

    /**
     * Integers of the encoding {@code data[0] % 3} ({@link IetfVarInt#QUIC}, {@code MOQT_17}, {@code MOQT}) read
     * one after another: a whole one reads to a value whose shortest encoding decodes back to it (and is the
     * input's bytes when the input was shortest); a partial one is not readable and consumes nothing.
     */
    @FuzzTest
    void varint(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        IetfVarInt enc = IetfVarInt.values()[(data[0] & 0xff) % IetfVarInt.values().length];
        ByteBuf in = copy(data, 1);
        try {
            while (in.isReadable()) {
                int at = in.readerIndex();
                int n;
                try {
                    n = enc.length(in, at);
                } catch (ProtocolException e) {
                    assertEquals(IetfVarInt.MOQT_17, enc, "only draft 17 has an invalid prefix");
                    assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
                    assertEquals(at, in.readerIndex());
                    return;
                }
                if (!enc.isReadable(in)) {
                    assertTrue(in.readableBytes() < n);
                    return;
                }
                long value = enc.read(in);
                assertEquals(at + n, in.readerIndex(), "read consumed other than its length");
                ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
                try {
                    enc.write(out, value);
                    assertEquals(enc.size(value), out.readableBytes());
                    assertTrue(out.readableBytes() <= n, "the shortest form is longer than the input's");
                    assertEquals(value, enc.read(out));
                    if (enc.size(value) == n) {
                        assertEquals(in.slice(at, n), out.readerIndex(0), "a shortest form re-encodes differently");
                    }
                } finally {
                    out.release();
                }
            }
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    /** The exception is a protocol error whose code draft {@code v} defines, with a message. */
    static void assertKnownCode(ProtocolException e, IetfVersion v) {
        IetfErrorCode c = IetfErrorCode.of(e.code(), v);
        assertTrue(c == IetfErrorCode.PROTOCOL_VIOLATION || c == IetfErrorCode.KEY_VALUE_FORMATTING_ERROR,
                "protocol error with code " + e.code() + " (" + c + ") in " + v + ": " + e.getMessage());
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "protocol error without a message");
    }

    static byte[] encode(IetfMessage m, IetfVersion v) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            ControlCodec.write(out, m, v);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    static ByteBuf copy(byte[] data, int from) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(Math.max(1, data.length - from));
        b.writeBytes(data, from, data.length - from);
        return b;
    }
}
