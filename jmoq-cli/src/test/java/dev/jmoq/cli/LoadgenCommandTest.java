package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * A small bounded load run against an in-process relay: every frame the relay did not give up by its policy
 * arrives, and the JSON says so.
 */
class LoadgenCommandTest {
    /** Groups the relay's egress gave up on for a subscriber: reset as lagging, skipped when lapped, or stopped. */
    private static long givenUp(RelayServer relay) {
        var e = relay.egressStats();
        return e.groupsResetLagging.sum() + e.groupsSkipped.sum() + e.groupsStopped.sum();
    }

    @Test
    void aSmallAudioRunOnLoopbackLosesNothingAndReportsJson() throws Exception {
        try (RelayServer relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start()) {
            for (String scheme : new String[] {"moqt", "ws"}) {
                long givenUpBefore = givenUp(relay);
                LoadgenCommand cmd = new LoadgenCommand();
                new CommandLine(cmd).parseArgs("--url", scheme + "://127.0.0.1:" + relay.port() + "/", "--insecure",
                        "--profile", "audio", "--subscribers", "5", "--publishers", "2", "--duration", "PT2S",
                        "--relay-pid", String.valueOf(ProcessHandle.current().pid()));
                LoadgenCommand.Result r = cmd.run(new PrintStream(new ByteArrayOutputStream()));
                assertEquals(5, r.subscribersConnected());
                assertTrue(r.framesPublished() > 0);
                // Nothing is lost that the relay did not give up by its slow-subscriber policy (audio: one frame
                // a group), and nothing at all when it gave up nothing; a loaded machine makes it give up some.
                long givenUp = givenUp(relay) - givenUpBefore;
                long lost = r.framesExpected() - r.framesReceived();
                if (givenUp == 0) {
                    assertEquals(0, lost, "no loss on loopback over " + scheme);
                } else {
                    assertTrue(lost >= 0 && lost <= givenUp, scheme + ": " + lost + " frames lost, " + givenUp
                            + " groups given up by the relay");
                }
                String json = r.json();
                assertTrue(json.startsWith("{\"profile\":\"audio\",\"transport\":\"" + scheme + "\""), json);
                for (String key : new String[] {"subscribers_asked", "subscribers_connected", "frames_expected",
                        "frames_received", "loss_percent", "\"p50\"", "\"p99\"", "\"p999\"", "\"max\"", "relay_cpu_s",
                        "relay_peak_rss_kb"}) {
                    assertTrue(json.contains(key), key + " in " + json);
                }
                assertTrue(r.relayPeakRssKb() > 0);
            }
        }
    }
}
