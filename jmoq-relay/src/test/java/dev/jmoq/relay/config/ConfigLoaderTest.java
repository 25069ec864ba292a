package dev.jmoq.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.relay.RelayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String toml) throws IOException {
        Path f = dir.resolve("relay.toml");
        Files.writeString(f, toml);
        return f;
    }

    @Test
    void noLayersGivesTheEmbeddedDefaults() throws Exception {
        EffectiveConfig e = ConfigLoader.load(null, Map.of(), List.of());
        assertEquals(RelayConfig.defaults(), e.config());
        for (OptionSpec<?> o : Options.ALL) {
            assertEquals(Source.DEFAULT, e.source(o), o.name());
        }
        assertEquals("127.0.0.1", e.config().admin().host());
        assertEquals(9090, e.config().admin().port());
    }

    @Test
    void fileSetsEveryKindOfValue() throws Exception {
        Path f = write("""
                [server]
                host = "127.0.0.1"
                port = 5000
                protocols = ["moq-lite-03"]
                websocket = false
                idle_timeout = "1m30s"
                [cache]
                max_bytes = "1GiB"
                max_bytes_per_track = 1048576
                max_age = "250ms"
                [limits]
                sessions = 50
                subscribes_per_second = 2.5
                max_frame_size = "4MiB"
                [admin]
                listen = "[::1]:9191"
                [auth]
                public_subscribe = ["anon", "demo/live"]
                allowed_origins = ["https://app.example.com"]
                [shutdown]
                grace = "10s"
                goaway_uri = "https://relay2.example.com:4443/"
                """);
        RelayConfig c = ConfigLoader.load(f, Map.of(), List.of()).config();
        assertEquals("127.0.0.1", c.host());
        assertEquals(5000, c.port());
        assertEquals(List.of("moq-lite-03"), c.protocols());
        assertEquals(false, c.webSocket());
        assertEquals(Duration.ofSeconds(90), c.idleTimeout());
        assertEquals(1L << 30, c.cacheMaxBytes());
        assertEquals(1L << 20, c.cacheMaxBytesPerTrack());
        assertEquals(Duration.ofMillis(250), c.cacheMaxAge());
        assertEquals(50, c.limits().sessions());
        assertEquals(2.5, c.limits().subscribesPerSecond());
        assertEquals(4 << 20, c.maxFrameSize());
        assertEquals("::1", c.admin().host());
        assertEquals(9191, c.admin().port());
        assertEquals(List.of("anon", "demo/live"), c.auth().publicSubscribe());
        assertEquals(List.of("https://app.example.com"), c.auth().allowedOrigins());
        assertEquals(Duration.ofSeconds(10), c.shutdownGrace());
        assertEquals(URI.create("https://relay2.example.com:4443/"), c.goawayUri());
    }

    @Test
    void precedenceIsDefaultThenFileThenEnvThenFlag() throws Exception {
        Path f = write("""
                [server]
                port = 5000
                host = "127.0.0.1"
                event_loops = 3
                [limits]
                sessions = 7
                """);
        Map<String, String> env = Map.of("JMOQ_SERVER_PORT", "6000", "JMOQ_SERVER_EVENT_LOOPS", "2",
                "JMOQ_JAVA_OPTS", "-Xmx1g", "PATH", "/bin");
        List<FlagValue> flags = List.of(new FlagValue("server.port", "7000", "--port"));
        EffectiveConfig e = ConfigLoader.load(f, env, flags);
        assertEquals(7000, e.config().port());
        assertEquals(new Source.Flag("--port"), e.source(Options.SERVER_PORT));
        assertEquals(2, e.config().eventLoops());
        assertEquals(new Source.Env("JMOQ_SERVER_EVENT_LOOPS"), e.source(Options.SERVER_EVENT_LOOPS));
        assertEquals("127.0.0.1", e.config().host());
        assertEquals(new Source.File(f), e.source(Options.SERVER_HOST));
        assertEquals(7, e.config().limits().sessions());
        assertEquals(Source.DEFAULT, e.source(Options.CACHE_MAX_BYTES));
        assertEquals(512L << 20, e.config().cacheMaxBytes());
    }

    @Test
    void envListsAreCommaSeparatedAndEmptyUnsetsAnOptionalValue() throws Exception {
        Path f = write("""
                [auth]
                key = "/etc/jmoq/key.jwk"
                """);
        EffectiveConfig e = ConfigLoader.load(f, Map.of("JMOQ_AUTH_KEY", "", "JMOQ_AUTH_PUBLIC_PUBLISH", "a, b/c"),
                List.of());
        assertNull(e.config().auth().key());
        assertEquals(new Source.Env("JMOQ_AUTH_KEY"), e.source(Options.AUTH_KEY));
        assertEquals(List.of("a", "b/c"), e.config().auth().publicPublish());
    }

    @Test
    void printedConfigNamesEverySourceAndLoadsBackToTheSameValues() throws Exception {
        Path f = write("""
                [cache]
                max_groups = 3
                """);
        EffectiveConfig e = ConfigLoader.load(f, Map.of("JMOQ_LIMITS_SESSIONS", "9"),
                List.of(new FlagValue("admin.listen", "127.0.0.1:0", "--set admin.listen")));
        String toml = e.toToml();
        assertTrue(toml.contains("max_groups = 3  # file " + f + "\n"), toml);
        assertTrue(toml.contains("sessions = 9  # env JMOQ_LIMITS_SESSIONS\n"), toml);
        assertTrue(toml.contains("listen = \"127.0.0.1:0\"  # flag --set admin.listen\n"), toml);
        assertTrue(toml.contains("port = 4443  # default\n"), toml);
        assertTrue(toml.contains("max_bytes = \"512MiB\"  # default\n"), toml);
        assertTrue(toml.contains("certificate = \"\"  # default (unset)\n"), toml);
        for (OptionSpec<?> o : Options.ALL) {
            assertTrue(toml.contains("\n" + o.key() + " = "), o.name());
        }
        Path printed = dir.resolve("printed.toml");
        Files.writeString(printed, toml);
        assertEquals(e.config(), ConfigLoader.load(printed, Map.of(), List.of()).config());
    }

    private static ConfigException fails(Path file, Map<String, String> env, List<FlagValue> flags) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, env, flags));
    }

    private ConfigException failsEnv(String var, String value) {
        return fails(null, Map.of(var, value), List.of());
    }

    @Test
    void everyInvalidValueNamesTheOptionItsSourceAndWhatIsAllowed() {
        Object[][] cases = {
                {"JMOQ_SERVER_PORT", "70000", "server.port", "an integer 0..65535"},
                {"JMOQ_SERVER_PORT", "http", "server.port", "not an integer"},
                {"JMOQ_SERVER_HOST", " ", "server.host", "a non-empty string"},
                {"JMOQ_SERVER_HOSTNAMES", "", "server.hostnames", "must not be empty"},
                {"JMOQ_SERVER_EVENT_LOOPS", "-1", "server.event_loops", "an integer 0..1024"},
                {"JMOQ_SERVER_IDLE_TIMEOUT", "5", "server.idle_timeout", "needs a unit"},
                {"JMOQ_SERVER_IDLE_TIMEOUT", "5 parsecs", "server.idle_timeout", "needs a unit"},
                {"JMOQ_SERVER_IDLE_TIMEOUT", "5x", "server.idle_timeout", "unknown duration unit"},
                {"JMOQ_SERVER_IDLE_TIMEOUT", "1ms", "server.idle_timeout", "out of range"},
                {"JMOQ_SERVER_PROTOCOLS", "moq-lite-99", "server.protocols", "unsupported protocol"},
                {"JMOQ_SERVER_WEBSOCKET", "yes", "server.websocket", "true or false"},
                {"JMOQ_CACHE_MAX_GROUPS", "0", "cache.max_groups", "an integer 1..65536"},
                {"JMOQ_SERVER_HANDSHAKE_TIMEOUT", "1h", "server.handshake_timeout", "out of range"},
                {"JMOQ_CACHE_MAX_AGE", "-5s", "cache.max_age", "not a duration"},
                {"JMOQ_CACHE_MAX_BYTES", "12 parsecs", "cache.max_bytes", "unknown size unit"},
                {"JMOQ_CACHE_MAX_BYTES", "0", "cache.max_bytes", "out of range"},
                {"JMOQ_CACHE_MAX_BYTES", "99999999999999999999", "cache.max_bytes", "out of range"},
                {"JMOQ_CACHE_MAX_BYTES_PER_TRACK", "2TiB", "cache.max_bytes_per_track", "out of range"},
                {"JMOQ_LIMITS_SESSIONS", "-3", "limits.sessions", "0..2147483647"},
                {"JMOQ_LIMITS_SESSIONS_PER_ADDRESS", "x", "limits.sessions_per_address", "not an integer"},
                {"JMOQ_LIMITS_STREAMS_PER_SESSION", "1.5", "limits.streams_per_session", "not an integer"},
                {"JMOQ_LIMITS_ANNOUNCEMENTS_PER_SESSION", "-1", "limits.announcements_per_session", "out of range"},
                {"JMOQ_LIMITS_SUBSCRIBES_PER_SECOND", "NaN", "limits.subscribes_per_second", "a number 0..1000000"},
                {"JMOQ_LIMITS_MAX_MESSAGE_SIZE", "10", "limits.max_message_size", "out of range"},
                {"JMOQ_LIMITS_MAX_FRAME_SIZE", "2GiB", "limits.max_frame_size", "out of range"},
                {"JMOQ_SESSION_GROUPS_IN_FLIGHT", "0", "session.groups_in_flight", "an integer 1..1024"},
                {"JMOQ_SESSION_TRACK_LINGER", "2 days", "session.track_linger", "duration"},
                {"JMOQ_ADMIN_ENABLED", "1", "admin.enabled", "true or false"},
                {"JMOQ_ADMIN_LISTEN", "9090", "admin.listen", "host:port"},
                {"JMOQ_ADMIN_LISTEN", "::1:9090", "admin.listen", "needs brackets"},
                {"JMOQ_ADMIN_LISTEN", "127.0.0.1:99999", "admin.listen", "port out of range"},
                {"JMOQ_ADMIN_BROADCAST_SERIES", "-1", "admin.broadcast_series", "out of range"},
                {"JMOQ_AUTH_ALLOWED_ORIGINS", "app.example.com", "auth.allowed_origins", "not an origin"},
                {"JMOQ_AUTH_ALLOWED_ORIGINS", "https://a.example/path", "auth.allowed_origins", "no path"},
                {"JMOQ_SHUTDOWN_GRACE", "2h", "shutdown.grace", "out of range"},
                {"JMOQ_SHUTDOWN_GOAWAY_URI", "relay2", "shutdown.goaway_uri", "absolute URI"},
                {"JMOQ_CLUSTER_UPSTREAM", "http://", "cluster.upstream", "relay URLs"},
                {"JMOQ_CLUSTER_PEERS", "relay2:4443", "cluster.peers", "relay URLs"},
                {"JMOQ_CLUSTER_INSECURE", "maybe", "cluster.insecure", "true or false"},
                {"JMOQ_CLUSTER_CERTIFICATE_SHA256", "abc", "cluster.certificate_sha256", "64-digit hex"},
        };
        for (Object[] c : cases) {
            ConfigException e = failsEnv((String) c[0], (String) c[1]);
            assertEquals(c[2], e.option(), c[0] + "=" + c[1]);
            assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
            assertTrue(e.getMessage().contains("env " + c[0]), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[3]), c[0] + "=" + c[1] + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("allowed: "), e.getMessage());
        }
        // every option has at least one invalid-value case above, except the free-form ones
        List<String> covered = java.util.Arrays.stream(cases).map(c -> (String) c[2]).toList();
        List<String> freeForm = List.of("tls.certificate", "tls.private_key", "auth.key", "auth.public_subscribe",
                "auth.public_publish", "cluster.token");
        for (OptionSpec<?> o : Options.ALL) {
            assertTrue(covered.contains(o.name()) || freeForm.contains(o.name()), "no invalid case for " + o.name());
        }
    }

    @Test
    void wrongTomlTypesAreRefused() throws Exception {
        ConfigException e = fails(write("[server]\nport = \"4443x\"\n"), Map.of(), List.of());
        assertEquals("server.port", e.option());
        e = fails(write("[server]\nidle_timeout = 30\n"), Map.of(), List.of());
        assertEquals("server.idle_timeout", e.option());
        assertTrue(e.getMessage().contains("must be a string with a unit"), e.getMessage());
        e = fails(write("[server]\nprotocols = [1, 2]\n"), Map.of(), List.of());
        assertEquals("server.protocols", e.option());
        e = fails(write("[server]\nhost = { a = 1 }\n"), Map.of(), List.of());
        assertEquals("server.host", e.option());
        e = fails(write("[limits]\nsessions = 99999999999999999999999\n"), Map.of(), List.of());
        assertEquals("limits.sessions", e.option());
    }

    @Test
    void unknownKeysSectionsAndVariablesAreRefused() throws Exception {
        ConfigException e = fails(write("[server]\nprot = 1\n"), Map.of(), List.of());
        assertEquals("server.prot", e.option());
        assertTrue(e.getMessage().contains("server.port"), e.getMessage());
        e = fails(write("[srever]\nport = 1\n"), Map.of(), List.of());
        assertEquals("srever.port", e.option());
        e = fails(write("port = 1\n"), Map.of(), List.of());
        assertEquals("port", e.option());
        e = failsEnv("JMOQ_SERVER_PROT", "1");
        assertTrue(e.getMessage().contains("JMOQ_SERVER_PORT"), e.getMessage());
        e = fails(null, Map.of(), List.of(new FlagValue("server.prot", "1", "--set server.prot")));
        assertEquals("server.prot", e.option());
    }

    @Test
    void unreadableFilesAreReported() throws Exception {
        ConfigException e = fails(dir.resolve("missing.toml"), Map.of(), List.of());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        e = fails(write("[server\nport = 1\n"), Map.of(), List.of());
        assertNull(e.option());
        assertTrue(e.getMessage().contains("not valid TOML"), e.getMessage());
    }

    @Test
    void certificateAndKeyGoTogether() throws Exception {
        ConfigException e = failsEnv("JMOQ_TLS_CERTIFICATE", "/etc/cert.pem");
        assertEquals("tls.private_key", e.option());
        assertTrue(e.getMessage().contains("both or neither"), e.getMessage());
        RelayConfig c = ConfigLoader.load(null, Map.of("JMOQ_TLS_CERTIFICATE", "/c.pem", "JMOQ_TLS_PRIVATE_KEY", "/k.pem"),
                List.of()).config();
        assertEquals(Path.of("/c.pem"), c.certificate());
    }

    @Test
    void docsListEveryOptionWithItsEnvironmentVariable() throws Exception {
        Path docs = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(docs);
        for (OptionSpec<?> o : Options.ALL) {
            assertTrue(text.contains("`" + o.key() + "`"), "docs miss " + o.name());
            assertTrue(text.contains("`" + o.envVar() + "`"), "docs miss " + o.envVar());
        }
    }
}
