package dev.jmoq.core.session.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request ID accounting of drafts 14-16: parity, order, the window we grant, the peer's limit on ours. */
class RequestIdsTest {
    @Test
    void ourRequestsWaitForThePeersLimitAndSayBlockedOnce() {
        RequestIds ids = new RequestIds(true, true);
        List<Long> started = new ArrayList<>();
        List<Long> blocked = new ArrayList<>();
        ids.onPeerLimit(4, blocked::add); // ids 0 and 2 allowed
        for (int i = 0; i < 4; i++) {
            ids.allocate(started::add, blocked::add);
        }
        assertEquals(List.of(0L, 2L), started);
        assertEquals(List.of(4L), blocked, "REQUESTS_BLOCKED once, with the limit");
        assertEquals(2, ids.waiting());
        ids.onPeerLimit(6, blocked::add);
        assertEquals(List.of(0L, 2L, 4L), started);
        assertEquals(List.of(4L, 6L), blocked);
        ids.onPeerLimit(100, blocked::add);
        assertEquals(List.of(0L, 2L, 4L, 6L), started);
        assertEquals(0, ids.waiting());
    }

    @Test
    void thePeersIdsMustHaveItsParityIncreaseAndStayBelowTheGrant() throws ProtocolException {
        RequestIds ids = new RequestIds(false, true); // we are the server: the client's ids are even
        assertEquals(2L * RequestIds.WINDOW, ids.initialGrant());
        ids.onPeerRequest(0);
        ids.onPeerRequest(2);
        ProtocolException parity = assertThrows(ProtocolException.class, () -> ids.onPeerRequest(5));
        assertEquals(IetfErrorCode.INVALID_REQUEST_ID.code(), parity.code());
        ProtocolException repeat = assertThrows(ProtocolException.class, () -> ids.onPeerRequest(2));
        assertEquals(IetfErrorCode.INVALID_REQUEST_ID.code(), repeat.code());
        ProtocolException beyond = assertThrows(ProtocolException.class, () -> ids.onPeerRequest(2L * RequestIds.WINDOW));
        assertEquals(IetfErrorCode.TOO_MANY_REQUESTS.code(), beyond.code());
    }

    @Test
    void theWindowMovesAsThePeersRequestsEnd() {
        RequestIds ids = new RequestIds(false, true);
        long grant = -1;
        int sent = 0;
        for (int i = 0; i < RequestIds.WINDOW; i++) {
            long g = ids.onPeerRequestEnded();
            if (g >= 0) {
                grant = g;
                sent++;
            }
        }
        assertEquals(4, sent, "MAX_REQUEST_ID every quarter window");
        assertEquals(4L * RequestIds.WINDOW, grant);
    }

    @Test
    void draft17HasNoLimits() throws ProtocolException {
        RequestIds ids = new RequestIds(true, false);
        List<Long> started = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.allocate(started::add, l -> { throw new AssertionError("blocked"); });
        }
        assertEquals(300, started.size());
        ids.onPeerRequest(10_001);
        assertEquals(-1, ids.onPeerRequestEnded());
    }
}
