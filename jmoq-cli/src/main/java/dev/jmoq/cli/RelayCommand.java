package dev.jmoq.cli;

import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.relay.config.ConfigException;
import dev.jmoq.relay.config.ConfigLoader;
import dev.jmoq.relay.config.EffectiveConfig;
import dev.jmoq.relay.config.FlagValue;
import dev.jmoq.relay.config.Options;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jmoq relay}: loads the configuration (defaults, {@code --config} file, {@code JMOQ_*} environment,
 * flags; see docs/configuration.md), then runs the relay until SIGINT or SIGTERM. Exit code 2 for an
 * invalid configuration.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Run the relay (QUIC, WebTransport and WebSocket on one port; self-signed certificate unless given).",
                "Options come from defaults < --config file < JMOQ_<SECTION>_<KEY> environment < flags;"
                        + " see docs/configuration.md."})
public final class RelayCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "TOML configuration file (default: $JMOQ_CONFIG, else none).")
    Path configFile;

    @Option(names = "--print-config", description = "Print the effective configuration as TOML, each value with its source, and exit.")
    boolean printConfig;

    @Option(names = "--host", description = "Address to bind (server.host; default 0.0.0.0).")
    String host;

    @Option(names = "--port", description = "UDP and TCP port (server.port; default 4443); 0 picks a free one.")
    String port;

    @Option(names = "--cert", description = "PEM certificate chain (tls.certificate; default: generate a self-signed one).")
    String cert;

    @Option(names = "--key", description = "PEM private key for --cert (tls.private_key).")
    String key;

    @Option(names = "--event-loops", description = "Event loops; 0 = one per core (server.event_loops; default 0).")
    String eventLoops;

    @Option(names = "--shutdown-grace", description = "Time sessions get to end on SIGTERM (shutdown.grace; default 2s).")
    String grace;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "Admin HTTP listener (admin.listen; default 127.0.0.1:9090).")
    String admin;

    @Option(names = "--auth-key", paramLabel = "FILE", description = "JWK or JWK set verifying session tokens (auth.key).")
    String authKey;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "Set any option, e.g. --set limits.sessions=500 (repeatable).")
    List<String> sets = new ArrayList<>();

    /** The environment; a field so tests can give their own. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;

    /** The command-line layer, in precedence order (a later flag wins). */
    List<FlagValue> flags() throws ConfigException {
        List<FlagValue> flags = new ArrayList<>();
        add(flags, Options.SERVER_HOST.name(), host, "--host");
        add(flags, Options.SERVER_PORT.name(), port, "--port");
        add(flags, Options.TLS_CERTIFICATE.name(), cert, "--cert");
        add(flags, Options.TLS_PRIVATE_KEY.name(), key, "--key");
        add(flags, Options.SERVER_EVENT_LOOPS.name(), eventLoops, "--event-loops");
        add(flags, Options.SHUTDOWN_GRACE.name(), grace, "--shutdown-grace");
        add(flags, Options.ADMIN_LISTEN.name(), admin, "--admin");
        add(flags, Options.AUTH_KEY.name(), authKey, "--auth-key");
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(null, "--set needs SECTION.KEY=VALUE, got \"" + s + "\"");
            }
            String name = s.substring(0, eq).strip();
            flags.add(new FlagValue(name, s.substring(eq + 1), "--set " + name));
        }
        return flags;
    }

    private static void add(List<FlagValue> flags, String option, String value, String flag) {
        if (value != null) {
            flags.add(new FlagValue(option, value, flag));
        }
    }

    /** Loads the effective configuration from every layer. */
    EffectiveConfig load() throws ConfigException {
        Path file = configFile;
        if (file == null && env.get("JMOQ_CONFIG") != null && !env.get("JMOQ_CONFIG").isBlank()) {
            file = Path.of(env.get("JMOQ_CONFIG"));
        }
        return ConfigLoader.load(file, env, flags());
    }

    @Override
    public Integer call() {
        EffectiveConfig effective;
        try {
            effective = load();
        } catch (ConfigException e) {
            err.println("jmoq: " + e.getMessage());
            return ConfigException.EXIT_CODE;
        }
        if (printConfig) {
            out.print(effective.toToml());
            out.flush();
            return 0;
        }
        RelayConfig config = effective.config();
        RelayServer server;
        try {
            server = new RelayServer(config);
        } catch (IllegalArgumentException e) {
            err.println("jmoq: " + e.getMessage());
            return ConfigException.EXIT_CODE;
        }
        server.start();
        err.println("jmoq relay listening on " + config.host() + ":" + server.port()
                + " (quic, webtransport, websocket); certificate sha256 " + server.certificate().sha256Hex()
                + (server.adminPort() > 0 ? "; admin http://" + config.admin().host() + ":" + server.adminPort() : ""));
        CountDownLatch done = new CountDownLatch(1);
        // SIGTERM or SIGINT: drain (GOAWAY, then up to shutdown.grace for sessions to leave); a second
        // signal closes at once. Handled as signals rather than a shutdown hook, so the second one is seen.
        java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
        sun.misc.SignalHandler handler = sig -> {
            if (signals.incrementAndGet() == 1) {
                err.println("jmoq: " + sig.getName() + ": draining for up to " + config.shutdownGrace().toMillis()
                        + " ms (signal again to close at once)");
                Thread.ofPlatform().name("jmoq-shutdown").start(() -> {
                    server.shutdown(config.shutdownGrace());
                    done.countDown();
                });
            } else {
                err.println("jmoq: " + sig.getName() + " again: closing now");
                Thread.ofPlatform().name("jmoq-close").start(server::close);
            }
        };
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
