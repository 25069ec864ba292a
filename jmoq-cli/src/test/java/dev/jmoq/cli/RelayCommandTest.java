package dev.jmoq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RelayCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        RelayCommand cmd = new RelayCommand();
        cmd.env = env;
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandLine(cmd).execute(args);
    }

    @Test
    void printConfigShowsEveryLayerAndExitsZero(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("relay.toml");
        Files.writeString(file, "[cache]\nmax_groups = 3\n[server]\nport = 5000\n");
        int code = run(Map.of("JMOQ_LIMITS_SESSIONS", "9", "JMOQ_SERVER_PORT", "6000"), "--config", file.toString(),
                "--port", "7000", "--set", "limits.subscribes_per_second=2.5", "--print-config");
        assertEquals(0, code, err.toString());
        String toml = out.toString(StandardCharsets.UTF_8);
        assertTrue(toml.contains("port = 7000  # flag --port\n"), toml);
        assertTrue(toml.contains("max_groups = 3  # file " + file + "\n"), toml);
        assertTrue(toml.contains("sessions = 9  # env JMOQ_LIMITS_SESSIONS\n"), toml);
        assertTrue(toml.contains("subscribes_per_second = 2.5  # flag --set limits.subscribes_per_second\n"), toml);
        assertTrue(toml.contains("listen = \"127.0.0.1:9090\"  # default\n"), toml);
    }

    @Test
    void theConfigFileMayComeFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("relay.toml");
        Files.writeString(file, "[server]\nhost = \"127.0.0.1\"\n");
        assertEquals(0, run(Map.of("JMOQ_CONFIG", file.toString()), "--print-config"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("host = \"127.0.0.1\"  # file " + file));
    }

    @Test
    void anInvalidValueExitsTwoNamingTheOption() {
        assertEquals(2, run(Map.of(), "--port", "99999", "--print-config"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("server.port"), e);
        assertTrue(e.contains("flag --port"), e);
        assertTrue(e.contains("an integer 0..65535"), e);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badSetSyntaxAndUnknownOptionsExitTwo() {
        assertEquals(2, run(Map.of(), "--set", "limits.sessions", "--print-config"));
        assertEquals(2, run(Map.of(), "--set", "limits.sesions=3", "--print-config"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("limits.sesions"));
    }
}
