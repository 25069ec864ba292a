package dev.jmoq.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RecentErrorsTest {
    private static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("jmoq.test");
        r.setParameters(params);
        return r;
    }

    @Test
    void keepsWarningsAndRefusalsWithoutPeerAddresses() {
        RecentErrors e = new RecentErrors();
        e.publish(record(Level.INFO, "event=session_ready transport=quic"));
        e.publish(record(Level.FINE, "event=session_refused reason=x"));
        e.publish(record(Level.WARNING, "event=limit_exceeded limit=sessions max=3 address={0} transport=quic", "192.0.2.9"));
        e.publish(record(Level.INFO, "event=ws_rejected remote={0} reason=no_subprotocol offered=\"x\"", "/192.0.2.9:5000"));
        e.publish(record(Level.SEVERE, "event=boom remote=\"a b\" code=7"));
        List<RecentErrors.Entry> kept = e.snapshot();
        assertEquals(3, kept.size(), kept.toString());
        assertEquals("event=limit_exceeded limit=sessions max=3 address=… transport=quic", kept.get(0).message());
        assertEquals("event=ws_rejected remote=… reason=no_subprotocol offered=\"x\"", kept.get(1).message());
        assertEquals("event=boom remote=… code=7", kept.get(2).message());
        assertEquals("SEVERE", kept.get(2).level());
    }

    @Test
    void keepsTheNewestOnlyAndDetachesOnClose() {
        RecentErrors e = new RecentErrors().install();
        Logger log = Logger.getLogger("jmoq.recent-errors-test");
        try {
            for (int i = 0; i < RecentErrors.CAPACITY + 7; i++) {
                log.warning("event=test n=" + i);
            }
        } finally {
            e.close();
        }
        log.warning("event=test after_close");
        List<RecentErrors.Entry> kept = e.snapshot().stream().filter(x -> x.message().startsWith("event=test")).toList();
        assertEquals(RecentErrors.CAPACITY, kept.size());
        assertEquals("event=test n=7", kept.get(0).message());
        assertTrue(kept.get(kept.size() - 1).message().endsWith("n=" + (RecentErrors.CAPACITY + 6)));
    }
}
