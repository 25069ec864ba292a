package dev.jmoq.wire.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every message survives encode then decode in every draft it exists in, and is refused elsewhere. */
class LiteRoundTripTest {
    private static final int MAX = LiteLimits.DEFAULT_MAX_MESSAGE;

    @TestFactory
    Stream<DynamicTest> roundTripsInEveryDraft() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LiteVersion v : LiteVersion.values()) {
            for (LiteMessage m : Samples.all(v)) {
                if (!m.existsIn(v)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(v + " " + m, () -> {
                    ByteBuf buf = Unpooled.buffer();
                    try {
                        LiteCodec.write(buf, m, v);
                        int size = buf.readableBytes();
                        assertEquals(m, LiteCodec.tryRead(buf, v, Samples.decoderFor(m), MAX));
                        assertFalse(buf.isReadable(), "decode consumed exactly the message");
                        assertTrue(size > 0);
                    } finally {
                        buf.release();
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** While a message is incomplete the decoder returns null and consumes nothing; two messages back to back decode in turn. */
    @TestFactory
    Stream<DynamicTest> incompleteMessagesWaitWithoutConsuming() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LiteVersion v : LiteVersion.values()) {
            for (LiteMessage m : Samples.all(v)) {
                if (!m.existsIn(v)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(v + " " + m.getClass().getSimpleName(), () -> {
                    ByteBuf whole = Unpooled.buffer();
                    LiteCodec.write(whole, m, v);
                    LiteCodec.write(whole, m, v);
                    byte[] bytes = Vectors.bytes(whole);
                    whole.release();
                    int one = bytes.length / 2;
                    for (int n = 0; n < one; n++) {
                        ByteBuf part = Unpooled.wrappedBuffer(bytes, 0, n);
                        try {
                            assertNull(LiteCodec.tryRead(part, v, Samples.decoderFor(m), MAX), "prefix of " + n);
                            assertEquals(0, part.readerIndex(), "nothing consumed at " + n);
                        } finally {
                            part.release();
                        }
                    }
                    ByteBuf both = Unpooled.wrappedBuffer(bytes);
                    try {
                        assertEquals(m, LiteCodec.tryRead(both, v, Samples.decoderFor(m), MAX));
                        assertEquals(one, both.readerIndex());
                        assertEquals(m, LiteCodec.tryRead(both, v, Samples.decoderFor(m), MAX));
                        assertNull(LiteCodec.tryRead(both, v, Samples.decoderFor(m), MAX));
                    } finally {
                        both.release();
                    }
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> messagesAbsentFromADraftAreRefused() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LiteVersion v : LiteVersion.values()) {
            for (LiteMessage m : Samples.all(v)) {
                if (m.existsIn(v)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(v + " " + m.getClass().getSimpleName(), () -> {
                    ByteBuf buf = Unpooled.buffer();
                    try {
                        assertThrows(IllegalArgumentException.class, () -> LiteCodec.write(buf, m, v));
                        buf.writeBytes(new byte[] {1, 0});
                        if (!(m instanceof SubscribeResponse)) {
                            ProtocolException e = assertThrows(ProtocolException.class,
                                    () -> LiteCodec.tryRead(buf, v, Samples.decoderFor(m), MAX));
                            assertEquals(LiteErrorCode.VERSION, e.code());
                        }
                    } finally {
                        buf.release();
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void featureTableMatchesTheDrafts() {
        assertEquals(LiteVersion.DRAFT_03, LiteVersion.fromAlpn("moq-lite-03"));
        assertEquals(LiteVersion.DRAFT_04, LiteVersion.fromAlpn("moq-lite-04"));
        assertEquals(LiteVersion.DRAFT_05, LiteVersion.fromAlpn("moq-lite-05"));
        assertNull(LiteVersion.fromAlpn("moql"));
        assertNull(LiteVersion.fromAlpn("moq-00"));
        assertTrue(LiteVersion.negotiatesInSetup("moql"));
        assertTrue(LiteVersion.negotiatesInSetup(null));
        assertFalse(LiteVersion.negotiatesInSetup("moq-lite-04"));
        assertEquals(LiteVersion.DRAFT_02, LiteVersion.fromCode(0xff0dad02L));
        assertNull(LiteVersion.fromCode(0xff0dad06L));
        for (LiteVersion v : LiteVersion.values()) {
            assertEquals(0xff0dad00L + v.ordinal() + 1, v.code());
            assertEquals(v.hasLegacySetup(), v.alpn() == null);
        }
        assertTrue(LiteVersion.DRAFT_04.hasExcludeHop() && LiteVersion.DRAFT_05.hasExcludeHop());
        assertFalse(LiteVersion.DRAFT_03.hasExcludeHop());
        assertFalse(LiteVersion.DRAFT_03.hasProbeRtt());
        assertTrue(LiteVersion.DRAFT_03.hasProbe());
        assertFalse(LiteVersion.DRAFT_03.hasGoaway());
        assertTrue(LiteVersion.DRAFT_05.hasSetupStream() && LiteVersion.DRAFT_05.hasDatagrams()
                && LiteVersion.DRAFT_05.hasAnnounceOk() && LiteVersion.DRAFT_05.hasFrameTimestamps());
        assertFalse(LiteVersion.DRAFT_04.hasSetupStream() || LiteVersion.DRAFT_04.hasDatagrams()
                || LiteVersion.DRAFT_04.hasAnnounceOk() || LiteVersion.DRAFT_04.hasFrameTimestamps());
        assertEquals(1, LiteVersion.DRAFT_04.subscribeResponseType(SubscribeResponse.Kind.DROP));
        assertEquals(2, LiteVersion.DRAFT_05.subscribeResponseType(SubscribeResponse.Kind.DROP));
        assertEquals(-1, LiteVersion.DRAFT_05.subscribeResponseType(SubscribeResponse.Kind.OK));
        assertEquals(-1, LiteVersion.DRAFT_01.subscribeResponseType(SubscribeResponse.Kind.OK));
    }

    @Test
    void streamTypesPerDraft() throws ProtocolException {
        for (LiteVersion v : LiteVersion.values()) {
            for (LiteControlType t : LiteControlType.values()) {
                ByteBuf b = Unpooled.buffer();
                try {
                    t.write(b);
                    if (t.opensStreamIn(v)) {
                        assertEquals(t, LiteControlType.tryRead(b, v));
                    } else {
                        ProtocolException e = assertThrows(ProtocolException.class, () -> LiteControlType.tryRead(b, v));
                        assertEquals(LiteErrorCode.UNEXPECTED_STREAM, e.code());
                        assertFalse(e.sessionFatal());
                        assertEquals(0, b.readerIndex());
                    }
                } finally {
                    b.release();
                }
            }
        }
        assertTrue(LiteControlType.GOAWAY.opensStreamIn(LiteVersion.DRAFT_04));
        assertFalse(LiteControlType.GOAWAY.opensStreamIn(LiteVersion.DRAFT_03));
        assertFalse(LiteControlType.TRACK.opensStreamIn(LiteVersion.DRAFT_04));
        assertTrue(LiteDataType.SETUP.existsIn(LiteVersion.DRAFT_05));
        assertFalse(LiteDataType.SETUP.existsIn(LiteVersion.DRAFT_04));
        ByteBuf empty = Unpooled.buffer();
        assertNull(LiteControlType.tryRead(empty, LiteVersion.DRAFT_04));
        assertNull(LiteDataType.tryRead(empty, LiteVersion.DRAFT_04));
        empty.release();
    }

    @Test
    void setupAccessorsReadTheParameters() throws ProtocolException {
        Setup s = Setup.of(Setup.PROBE_REPORT, "room?x=é", Setup.ROLE_PUBLISHER, 1L << 50);
        assertEquals(Setup.PROBE_REPORT, s.probe());
        assertEquals("room?x=é", s.path());
        assertEquals(Setup.ROLE_PUBLISHER, s.role());
        assertEquals(1L << 50, s.origin());
        Setup future = new Setup(List.of(LiteParameter.ofVarint(Setup.PARAM_PROBE, 9), LiteParameter.ofVarint(Setup.PARAM_ROLE, 7)));
        assertEquals(Setup.PROBE_INCREASE, future.probe());
        assertEquals(Setup.ROLE_BOTH, future.role());
    }

    @Test
    void errorCodesHaveNames() {
        assertEquals("old", LiteErrorCode.name(LiteErrorCode.OLD));
        assertEquals("not_found", LiteErrorCode.name(13));
        assertEquals("app(3)", LiteErrorCode.name(LiteErrorCode.APP_OFFSET + 3));
        assertEquals("unknown(40)", LiteErrorCode.name(40));
    }
}
