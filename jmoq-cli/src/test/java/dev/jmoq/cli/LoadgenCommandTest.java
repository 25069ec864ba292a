package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** A small bounded load run against an in-process relay: every frame arrives, and the JSON says so. */
class LoadgenCommandTest {
    @Test
    void aSmallAudioRunOnLoopbackLosesNothingAndReportsJson() throws Exception {
        try (RelayServer relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start()) {
            for (String scheme : new String[] {"moqt", "ws"}) {
                LoadgenCommand cmd = new LoadgenCommand();
                new CommandLine(cmd).parseArgs("--url", scheme + "://127.0.0.1:" + relay.port() + "/", "--insecure",
                        "--profile", "audio", "--subscribers", "5", "--publishers", "2", "--duration", "PT2S",
                        "--relay-pid", String.valueOf(ProcessHandle.current().pid()));
                LoadgenCommand.Result r = cmd.run(new PrintStream(new ByteArrayOutputStream()));
                assertEquals(5, r.subscribersConnected());
                assertTrue(r.framesPublished() > 0);
                assertEquals(r.framesExpected(), r.framesReceived(), "no loss on loopback over " + scheme);
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
