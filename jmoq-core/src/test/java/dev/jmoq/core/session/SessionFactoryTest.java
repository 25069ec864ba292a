package dev.jmoq.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.session.lite.LiteFamily;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which family runs a connection, which protocols the transports offer, and how refusals are coded. */
class SessionFactoryTest {
    /** A second family with codes of its own, standing in for IETF moq-transport. */
    private static final class OtherFamily implements ProtocolFamily {
        @Override
        public String name() {
            return "other";
        }

        @Override
        public List<String> protocols() {
            return List.of("moqt-22", "moq-00");
        }

        @Override
        public boolean accepts(String protocol) {
            return protocols().contains(protocol);
        }

        @Override
        public long code(SessionError error) {
            return 1000 + error.ordinal();
        }

        @Override
        public Session create(SessionContext context) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }

    private static SessionFactory liteOnly() {
        return new SessionFactory(List.of(new LiteFamily()));
    }

    @Test
    void defaultsOfferMoqLiteThenIetfNewestFirst() {
        assertEquals(List.of("moq-lite-04", "moq-lite-03", "moql", "moqt-22", "moqt-21", "moqt-20", "moqt-19",
                "moqt-18", "moqt-17", "moqt-16", "moqt-15", "moq-00"), SessionFactory.defaults().protocols());
        assertEquals("moq-transport", SessionFactory.defaults().familyFor("moqt-20").orElseThrow().name());
        assertEquals("moq-transport", SessionFactory.defaults().familyFor("moq-00").orElseThrow().name());
    }

    @Test
    void aRegisteredFamilyAddsItsProtocolsAfterTheEarlierOnes() {
        SessionFactory f = liteOnly().register(new OtherFamily());
        assertEquals(List.of("moq-lite-04", "moq-lite-03", "moql", "moqt-22", "moq-00"), f.protocols());
        assertEquals("other", f.familyFor("moqt-22").orElseThrow().name());
        assertEquals("moq-lite", f.familyFor("moq-lite-03").orElseThrow().name());
    }

    @Test
    void theEmptyProtocolGoesToTheFamilyThatNegotiatesInSetup() {
        SessionFactory f = new SessionFactory(List.of(new OtherFamily(), new LiteFamily()));
        assertEquals("moq-lite", f.familyFor("").orElseThrow().name());
        assertEquals("moq-lite", f.familyFor("moql").orElseThrow().name());
        assertEquals("moq-lite", f.familyFor(null).orElseThrow().name());
    }

    @Test
    void aProtocolNoFamilyServesIsRefusedByCreate() {
        SessionFactory f = SessionFactory.defaults();
        assertTrue(f.familyFor("moq-lite-05").isEmpty(), "draft 05 is decoded but not served yet");
        assertTrue(f.familyFor("moqt-14").isEmpty(), "draft 14 is reached through moq-00 only");
        StubConnection c = new StubConnection("moqt-14", "/");
        SessionContext ctx = new SessionContext(c, SessionConfig.client(), null, null, false, new SessionStats(),
                new EgressStats(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.create(ctx));
        assertTrue(e.getMessage().contains("moqt-14"), e.getMessage());
    }

    @Test
    void refusalsCloseWithTheCodeOfTheConnectionsFamily() {
        SessionFactory f = liteOnly().register(new OtherFamily());
        StubConnection lite = new StubConnection("moq-lite-04", "/");
        f.refuse(lite, SessionError.LIMIT_EXCEEDED, "too many sessions");
        assertEquals(11, lite.closeCode);
        assertEquals("too many sessions", lite.closeReason);
        StubConnection other = new StubConnection("moq-00", "/");
        f.refuse(other, SessionError.UNAUTHORIZED, "unauthorized");
        assertEquals(1000 + SessionError.UNAUTHORIZED.ordinal(), other.closeCode);
    }

    @Test
    void aConnectionOfNoFamilyIsRefusedWithTheFirstFamilysCode() {
        SessionFactory f = liteOnly().register(new OtherFamily());
        StubConnection c = new StubConnection("h3", "/");
        f.refuse(c, SessionError.CLOSED, "relay shutting down");
        assertEquals(25, c.closeCode);
    }

    @Test
    void aFactoryNeedsAFamily() {
        assertThrows(IllegalArgumentException.class, () -> new SessionFactory(List.of()));
    }

    @Test
    void theGrantDefaultsToTheUrlPathOnTheServerAndEverythingOnTheClient() {
        StubConnection c = new StubConnection("moq-lite-04", "/room?jwt=x");
        SessionContext server = new SessionContext(c, SessionConfig.client(), null, null, false, new SessionStats(),
                new EgressStats(), null);
        assertEquals("room", server.effectiveGrant().root());
        SessionContext client = new SessionContext(c, SessionConfig.client(), null, null, true, new SessionStats(),
                new EgressStats(), null);
        assertEquals("", client.effectiveGrant().root());
        Grant given = Grant.all("other");
        SessionContext granted = new SessionContext(c, SessionConfig.client(), null, null, false, new SessionStats(),
                new EgressStats(), given);
        assertSame(given, granted.effectiveGrant());
    }
}
