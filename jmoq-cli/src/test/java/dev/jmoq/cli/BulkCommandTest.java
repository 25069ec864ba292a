package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A small bulk run against an in-process relay: every byte arrives on both legs, and the JSON says so. */
class BulkCommandTest {
    private static final long BYTES = 8L << 20;

    @Test
    void aSmallRunOverRawQuicDeliversEveryByteOnBothLegs() throws Exception {
        try (RelayServer relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start()) {
            BulkCommand cmd = new BulkCommand();
            new CommandLine(cmd).parseArgs("--url", "moqt://127.0.0.1:" + relay.port() + "/", "--insecure",
                    "--bytes", "8MiB", "--frame-size", "256KiB", "--runs", "1", "--timeout", "PT60S",
                    "--relay-pid", String.valueOf(ProcessHandle.current().pid()));
            BulkCommand.Result r = cmd.run(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(1, r.raw().size());
            assertEquals(1, r.relay().size());
            for (BulkCommand.Leg leg : r.raw()) {
                assertEquals(BYTES, leg.bytesReceived(), "raw leg");
                assertEquals(0, leg.lostGroups(), "raw leg");
                assertTrue(leg.complete(), "raw leg");
            }
            for (BulkCommand.Leg leg : r.relay()) {
                assertEquals(BYTES, leg.bytesReceived(), "relay leg");
                assertEquals(0, leg.lostGroups(), "relay leg");
                assertTrue(leg.complete(), "relay leg");
            }
            assertEquals(0, r.relayLossGroups());
            assertTrue(r.complete());
            String json = r.json();
            assertTrue(json.startsWith("{\"frame_size\":262144,\"bytes\":8388608,\"runs\":1,"), json);
            assertTrue(positive(json, "raw_median_mbit_s"), json);
            assertTrue(positive(json, "relay_median_mbit_s"), json);
            assertTrue(positive(json, "ratio"), json);
            assertTrue(json.contains("\"relay_loss_groups\":0,"), json);
            assertTrue(Pattern.compile("\"raw_mbit_s\":\\[[0-9.]+\\]").matcher(json).find(), json);
            assertTrue(Pattern.compile("\"relay_mbit_s\":\\[[0-9.]+\\]").matcher(json).find(), json);
            assertTrue(Pattern.compile("\"relay_cpu_s\":[0-9.]+").matcher(json).find(), json);
            assertTrue(json.endsWith("\"complete\":true}"), json);
        }
    }

    @Test
    void groupsOfSeveralFramesAndAShortLastFrameArriveWhole() throws Exception {
        try (RelayServer relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start()) {
            BulkCommand cmd = new BulkCommand();
            // 3 MiB + 1000 bytes in 100 KiB frames, 4 to a group: the last group and its last frame are short.
            long bytes = (3L << 20) + 1000;
            new CommandLine(cmd).parseArgs("--url", "moqt://127.0.0.1:" + relay.port() + "/", "--insecure",
                    "--bytes", String.valueOf(bytes), "--frame-size", "100KiB", "--frames-per-group", "4",
                    "--window", "2", "--runs", "2", "--timeout", "PT60S");
            BulkCommand.Result r = cmd.run(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(2, r.raw().size());
            assertEquals(2, r.relay().size());
            for (BulkCommand.Leg leg : r.raw()) {
                assertEquals(bytes, leg.bytesReceived(), "raw leg");
                assertEquals(0, leg.lostGroups(), "raw leg");
            }
            for (BulkCommand.Leg leg : r.relay()) {
                assertEquals(bytes, leg.bytesReceived(), "relay leg");
                assertEquals(0, leg.lostGroups(), "relay leg");
            }
            assertTrue(r.complete());
            assertTrue(r.json().contains("\"relay_cpu_s\":-1.00,"), r.json());
        }
    }

    @Test
    void thePlanCutsBytesIntoFramesAndGroups() {
        BulkCommand.Plan p = new BulkCommand.Plan(10 * 100 + 7, 100, 3);
        assertEquals(11, p.frames());
        assertEquals(4, p.groups());
        assertEquals(3, p.framesIn(0));
        assertEquals(2, p.framesIn(3));
        assertEquals(100, p.frameLength(3, 0));
        assertEquals(7, p.frameLength(3, 1));
        assertEquals(300, p.groupBytes(0));
        assertEquals(107, p.groupBytes(3));
        long sum = 0;
        for (long g = 0; g < p.groups(); g++) {
            sum += p.groupBytes(g);
        }
        assertEquals(1007, sum);
    }

    private static boolean positive(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.]+)").matcher(json);
        return m.find() && Double.parseDouble(m.group(1)) > 0;
    }
}
