package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.cli.interop.InteropCase;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code jmoq interop} against an in-process relay through the runner's environment contract: TAP
 * version 14, one point per case, the exit codes. Timeouts scaled tenfold: this machine may be loaded.
 */
class InteropCommandTest {
    private static final String CASES = "setup-only,announce-only,publish-namespace-done,subscribe-error,"
            + "announce-subscribe,subscribe-before-announce,publish-track-only,publish-track-subscribe,"
            + "data-subgroup-basic,subscribe-namespace-lifecycle";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        InteropCommand cmd = new InteropCommand();
        cmd.env = env;
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new CommandLine(cmd).execute(args);
    }

    private String tap() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"draft-14", "15", "16", "17", "18", "20"})
    void theRunnersCasesPassOverRawQuic(String draft) throws Exception {
        try (RelayServer relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start()) {
            int code = run(Map.of("RELAY_URL", "moqt://127.0.0.1:" + relay.port(), "TLS_DISABLE_VERIFY", "1",
                    "MOQT_DRAFT", draft), "--time-scale", "10", "-v", "--test", CASES);
            String tap = tap();
            assertTrue(tap.startsWith("TAP version 14\n# jmoq interop"), tap);
            assertTrue(tap.contains("\n1.." + CASES.split(",").length + "\n"), tap);
            for (String ok : new String[] {"setup-only", "announce-only", "publish-namespace-done", "subscribe-error",
                    "announce-subscribe", "subscribe-before-announce", "publish-track-only", "publish-track-subscribe",
                    "data-subgroup-basic", "subscribe-namespace-lifecycle"}) {
                assertTrue(tap.matches("(?s).*\nok \\d+ - " + ok + "\n.*"), ok + " passes:\n" + tap);
            }
            String protocol = draft.endsWith("14") ? "moq-00" : "moqt-" + draft.replace("draft-", "");
            assertTrue(tap.contains("  protocol: " + protocol + "\n"), tap);
            assertEquals(0, code, tap);
            assertTrue(!tap.contains("\nnot ok "), tap);
        }
    }

    @Test
    void aSingleCaseThisClientCannotRunExits127() {
        assertEquals(127, run(Map.of("RELAY_URL", "moqt://127.0.0.1:9", "TESTCASE", "no-such-case")));
    }

    @Test
    void listPrintsEveryCaseOnePerLine() {
        assertEquals(0, run(Map.of(), "--list"));
        String expected = Arrays.stream(InteropCase.values()).map(c -> c.id() + "\n").collect(Collectors.joining());
        assertEquals(expected, tap());
    }

    @Test
    void anUnreachableRelayBailsOut() {
        int code = run(Map.of("RELAY_URL", "moqt://127.0.0.1:9", "TLS_DISABLE_VERIFY", "1", "TESTCASE", "setup-only",
                "MOQT_DRAFT", "20"), "-v");
        assertEquals(1, code);
        assertTrue(tap().contains("\nBail out! "), tap());
    }
}
