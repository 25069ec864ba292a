package dev.jmoq.cli;

import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jmoq relay}: runs the relay until SIGINT or SIGTERM. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Run the relay (QUIC, WebTransport and WebSocket on one port; self-signed certificate unless given).")
public final class RelayCommand implements Runnable {
    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--port", description = "UDP and TCP port (default: ${DEFAULT-VALUE}); 0 picks a free one.",
            defaultValue = "4443")
    int port;

    @Option(names = "--cert", description = "PEM certificate chain (default: generate a self-signed one).")
    Path cert;

    @Option(names = "--key", description = "PEM private key for --cert.")
    Path key;

    @Option(names = "--event-loops", description = "Event loops; 0 = one per core (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int eventLoops;

    @Option(names = "--shutdown-grace", description = "Time sessions get to end on SIGTERM (default: ${DEFAULT-VALUE}).",
            defaultValue = "PT2S")
    Duration grace;

    @Override
    public void run() {
        RelayConfig config = RelayConfig.defaults().withListen(host, port).withEventLoops(eventLoops);
        if (cert != null || key != null) {
            config = config.withTls(cert, key);
        }
        RelayServer server = new RelayServer(config).start();
        System.err.println("jmoq relay listening on " + host + ":" + server.port()
                + " (quic, webtransport, websocket); certificate sha256 " + server.certificate().sha256Hex());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(grace);
            done.countDown();
        }, "jmoq-shutdown"));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
