package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.session.SessionFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolOfferTest {
    private final SessionFactory factory = SessionFactory.defaults();

    @Test
    void familiesExpandToTheirProtocolsNewestFirstAndSingleNamesStay() {
        List<String> ietf = ProtocolOffer.expand(List.of("ietf"), factory);
        assertEquals("moqt-22", ietf.get(0));
        assertEquals("moq-00", ietf.get(ietf.size() - 1));
        assertTrue(ietf.containsAll(List.of("moqt-20", "moqt-18", "moqt-17", "moqt-16", "moqt-15")), ietf.toString());
        List<String> lite = ProtocolOffer.expand(List.of("lite"), factory);
        assertTrue(lite.stream().allMatch(p -> p.startsWith("moq-lite") || p.equals("moql")), lite.toString());
        assertEquals(List.of("moqt-20", "moq-lite-04"), ProtocolOffer.expand(List.of("moqt-20,moq-lite-04"), factory));
        assertEquals(List.of("moqt-16", "moq-00"), ProtocolOffer.expand(List.of("MOQT-16", "moq-00", "moqt-16"), factory));
    }

    @Test
    void mixedFamiliesKeepTheGivenPreference() {
        List<String> both = ProtocolOffer.expand(List.of("ietf,lite"), factory);
        assertEquals("moqt-22", both.get(0));
        assertTrue(both.indexOf("moq-00") < both.indexOf("moq-lite-04"), both.toString());
    }

    @Test
    void anUnknownProtocolIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProtocolOffer.expand(List.of("moqt-9"), factory));
        assertTrue(e.getMessage().contains("moqt-9") && e.getMessage().contains("moqt-20"), e.getMessage());
    }

    @Test
    void theRunnersDraftFormsSelectTheDraftsProtocol() {
        assertEquals("moq-00", ProtocolOffer.ietfDraft("14"));
        assertEquals("moqt-16", ProtocolOffer.ietfDraft("draft-16"));
        assertEquals("moqt-20", ProtocolOffer.ietfDraft("draft-ietf-moq-transport-20"));
        assertThrows(IllegalArgumentException.class, () -> ProtocolOffer.ietfDraft("13"));
        assertThrows(IllegalArgumentException.class, () -> ProtocolOffer.ietfDraft("latest"));
    }
}
