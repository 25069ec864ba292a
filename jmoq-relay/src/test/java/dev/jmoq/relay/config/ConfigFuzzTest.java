package dev.jmoq.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzz target for configuration loading: any TOML file either loads or is refused with a
 * {@link ConfigException} whose message says why; nothing else escapes. A file that loads prints (as
 * {@code --print-config} does) to TOML that loads back to the same configuration. Seeds and saved findings:
 * {@code ConfigFuzzTestInputs/toml/}; docs/fuzzing.md.
 */
class ConfigFuzzTest {
    private static final Path FILE = tempFile("relay", ".toml");
    private static final Path AGAIN = tempFile("printed", ".toml");

    @FuzzTest
    void toml(byte[] data) throws IOException {
        Files.write(FILE, data);
        EffectiveConfig loaded;
        try {
            loaded = ConfigLoader.load(FILE, Map.of(), List.of());
        } catch (ConfigException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isEmpty(), "a refusal without a reason");
            return;
        }
        String printed = loaded.toToml();
        Files.writeString(AGAIN, printed);
        try {
            assertEquals(loaded.config(), ConfigLoader.load(AGAIN, Map.of(), List.of()).config(),
                    "the printed configuration loads to other values:\n" + printed);
        } catch (ConfigException e) {
            throw new AssertionError("the printed configuration does not load: " + e.getMessage() + "\n" + printed, e);
        }
    }

    /** Writes the printed default configuration as a seed (run from the module directory). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of("src/test/resources/dev/jmoq/relay/config/ConfigFuzzTestInputs/toml");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("seed-defaults-printed"), ConfigLoader.load(null, Map.of(), List.of()).toToml());
    }

    private static Path tempFile(String prefix, String suffix) {
        try {
            Path p = Files.createTempFile(prefix, suffix);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
