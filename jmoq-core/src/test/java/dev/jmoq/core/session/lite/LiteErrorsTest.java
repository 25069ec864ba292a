package dev.jmoq.core.session.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.core.session.SessionError;
import dev.jmoq.wire.lite.LiteErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The moq-lite code of every reason the relay ends something: moq-dev's codes, as sent before the neutral enum. */
class LiteErrorsTest {
    @Test
    void everyReasonHasMoqDevsCode() {
        Map<SessionError, Long> expected = new EnumMap<>(SessionError.class);
        expected.put(SessionError.NO_ERROR, 0L);
        expected.put(SessionError.CANCELLED, 0L);
        expected.put(SessionError.SHUTDOWN, 0L);
        expected.put(SessionError.CLOSED, 25L);
        expected.put(SessionError.UNAUTHORIZED, 6L);
        expected.put(SessionError.LIMIT_EXCEEDED, 11L);
        expected.put(SessionError.PROTOCOL_VIOLATION, 15L);
        expected.put(SessionError.UNEXPECTED_STREAM, 10L);
        expected.put(SessionError.UNSUPPORTED, 17L);
        expected.put(SessionError.VERSION_MISMATCH, 9L);
        expected.put(SessionError.NOT_FOUND, 13L);
        expected.put(SessionError.LAGGING, 26L);
        expected.put(SessionError.DUPLICATE, 12L);
        expected.put(SessionError.TOO_OLD, 2L);
        expected.put(SessionError.TIMEOUT, 3L);
        assertEquals(SessionError.values().length, expected.size(), "a new reason needs its moq-lite code here");
        LiteFamily family = new LiteFamily();
        for (SessionError e : SessionError.values()) {
            assertEquals(expected.get(e), family.code(e), e + " (" + LiteErrorCode.name(family.code(e)) + ")");
        }
    }
}
