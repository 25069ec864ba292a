package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The raw fan-out leg on loopback: a {@link RawFanout} sender and {@code loadgen --raw} receivers over raw
 * QUIC, WebSocket and WebTransport; every frame stamped inside the window reaches every receiver, with one
 * frame per group (one stream each), with several frames per group (frames appended to an open stream), and
 * with every frame on one long-lived stream per connection.
 */
class RawFanoutTest {
    private static LoadgenCommand.Result run(String scheme, int port, int framesPerGroup) throws Exception {
        LoadgenCommand cmd = new LoadgenCommand();
        new CommandLine(cmd).parseArgs("--raw", "--url", scheme + "://127.0.0.1:" + port + "/", "--insecure",
                "--subscribers", "4", "--frames-per-group", String.valueOf(framesPerGroup), "--duration", "PT1S",
                "--warmup", "PT1S", "--relay-pid", String.valueOf(ProcessHandle.current().pid()));
        return cmd.run(new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void everyReceiverGetsEveryFrameOfTheWindowOverEachTransport() throws Exception {
        try (RawFanout sender = RawFanout.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, 50, 300, 1, false)) {
            for (String scheme : new String[] {"moqt", "ws", "https"}) {
                long droppedBefore = sender.groupsDropped();
                LoadgenCommand.Result r = run(scheme, sender.port(), 1);
                assertEquals(4, r.subscribersConnected(), scheme);
                assertTrue(r.framesPublished() > 0, scheme);
                assertEquals(r.framesPublished() * 4, r.framesExpected(), scheme);
                assertEverySentFrameArrived(r, sender.groupsDropped() - droppedBefore, 1, scheme);
                String json = r.json();
                assertTrue(json.contains("\"leg\":\"raw\""), json);
                assertTrue(json.contains("\"transport\":\"" + scheme + "\""), json);
                assertTrue(r.relayCpuMicrosPerFrame() > 0, json);
                assertTrue(r.ownCpuMicrosPerFrame() > 0, json);
                assertTrue(r.line().contains("sender"), r.line());
            }
            assertTrue(sender.framesSent() > 0);
        }
    }

    /**
     * Every frame the sender did not give up reached every receiver: no loss when it dropped no group, and
     * at most the dropped groups' frames when it did (a connection that cannot take a group loses it, by
     * design, as the relay's egress does; a loaded machine makes that happen).
     */
    private static void assertEverySentFrameArrived(LoadgenCommand.Result r, long groupsDropped, int framesPerGroup,
            String scheme) {
        long lost = r.framesExpected() - r.framesReceived();
        if (groupsDropped == 0) {
            assertEquals(0, lost, "no loss on loopback over " + scheme);
        } else {
            assertTrue(lost >= 0 && lost <= groupsDropped * framesPerGroup, "over " + scheme + ": " + lost
                    + " frames lost, more than the " + groupsDropped + " groups the sender gave up");
        }
    }

    @Test
    void groupsOfSeveralFramesShareOneStream() throws Exception {
        try (RawFanout sender = RawFanout.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, 60, 1000, 6, false)) {
            LoadgenCommand.Result r = run("moqt", sender.port(), 6);
            assertEquals(4, r.subscribersConnected());
            assertTrue(r.framesPublished() > 0);
            assertEverySentFrameArrived(r, sender.groupsDropped(), 6, "moqt");
        }
    }

    @Test
    void oneLongLivedStreamPerConnectionCarriesEveryFrame() throws Exception {
        try (RawFanout sender = RawFanout.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, 60, 500, 1, true)) {
            LoadgenCommand.Result r = run("moqt", sender.port(), 1);
            assertEquals(4, r.subscribersConnected());
            assertTrue(r.framesPublished() > 0);
            assertEquals(r.framesExpected(), r.framesReceived());
            assertEquals(0, sender.groupsDropped());
        }
    }
}
