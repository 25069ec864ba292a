package dev.jmoq.core.session.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.session.SessionError;
import dev.jmoq.wire.ietf.IetfVersion;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The IETF family's protocol names, its draft per protocol, and its session and stream codes. */
class IetfFamilyTest {
    private final IetfFamily family = new IetfFamily();

    @Test
    void protocolsAreTheDraftsNewestFirstThenMoq00() {
        assertEquals(java.util.List.of("moqt-22", "moqt-21", "moqt-20", "moqt-19", "moqt-18", "moqt-17", "moqt-16",
                "moqt-15", "moq-00"), family.protocols());
        for (String p : family.protocols()) {
            assertTrue(family.accepts(p), p);
        }
        assertFalse(family.accepts(""));
        assertFalse(family.accepts("moqt-14"));
        assertFalse(family.accepts("moq-lite-04"));
        assertEquals(IetfVersion.DRAFT_14, IetfFamily.version("moq-00"));
        assertEquals(IetfVersion.DRAFT_20, IetfFamily.version("moqt-22"));
        assertEquals(IetfVersion.DRAFT_17, IetfFamily.version("moqt-17"));
    }

    @Test
    void everyReasonHasASessionTerminationCode() {
        Map<SessionError, Long> expected = new EnumMap<>(SessionError.class);
        expected.put(SessionError.NO_ERROR, 0x0L);
        expected.put(SessionError.CANCELLED, 0x0L);
        expected.put(SessionError.CLOSED, 0x0L);
        expected.put(SessionError.SHUTDOWN, 0x10L); // GOAWAY_TIMEOUT
        expected.put(SessionError.UNAUTHORIZED, 0x2L);
        expected.put(SessionError.LIMIT_EXCEEDED, 0x1L); // no TOO_MANY_REQUESTS after draft 16
        expected.put(SessionError.PROTOCOL_VIOLATION, 0x3L);
        expected.put(SessionError.UNEXPECTED_STREAM, 0x3L);
        expected.put(SessionError.UNSUPPORTED, 0x3L);
        expected.put(SessionError.NOT_FOUND, 0x3L);
        expected.put(SessionError.DUPLICATE, 0x3L);
        expected.put(SessionError.TOO_OLD, 0x3L);
        expected.put(SessionError.VERSION_MISMATCH, 0x15L);
        expected.put(SessionError.LAGGING, 0x1L);
        expected.put(SessionError.TIMEOUT, 0x11L); // CONTROL_MESSAGE_TIMEOUT
        assertEquals(SessionError.values().length, expected.size(), "a new reason needs its IETF code here");
        for (SessionError e : SessionError.values()) {
            assertEquals(expected.get(e), family.code(e), e.toString());
        }
        assertEquals(0x7L, IetfErrors.sessionCode(SessionError.LIMIT_EXCEEDED, IetfVersion.DRAFT_14)); // TOO_MANY_REQUESTS
    }

    @Test
    void laggingStreamsAreResetTooFarBehindWhereTheDraftHasIt() {
        assertEquals(0x5L, IetfErrors.streamCode(SessionError.LAGGING, IetfVersion.DRAFT_18));
        assertEquals(0x2L, IetfErrors.streamCode(SessionError.LAGGING, IetfVersion.DRAFT_14)); // DELIVERY_TIMEOUT
        assertEquals(0x1L, IetfErrors.streamCode(SessionError.NOT_FOUND, IetfVersion.DRAFT_20)); // CANCELLED
        assertEquals(0x3L, IetfErrors.streamCode(SessionError.CLOSED, IetfVersion.DRAFT_16)); // SESSION_CLOSED
    }
}
