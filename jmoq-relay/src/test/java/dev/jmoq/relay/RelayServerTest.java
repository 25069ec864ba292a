package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.testkit.Await;
import dev.jmoq.transport.tls.ServerCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay server's lifecycle: start with and without TLS, configuration kept, idempotent close. */
class RelayServerTest {
    private static RelayConfig loopback() {
        return RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1);
    }

    private static String certificateHash(RelayServer server) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/certificate.sha256")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        }
    }

    @Test
    void startsWithoutTlsConfigurationByGeneratingACertificate() throws Exception {
        try (RelayServer server = new RelayServer(loopback()).start()) {
            assertTrue(server.isRunning());
            assertNotNull(server.certificate());
            assertTrue(server.port() > 0);
            assertEquals(server.certificate().sha256Hex(), certificateHash(server));
        }
    }

    @Test
    void generatedCertificateIsEcdsaP256ValidAtMostFourteenDays() {
        try (RelayServer server = new RelayServer(loopback()).start()) {
            var leaf = server.certificate().leaf();
            assertEquals("EC", leaf.getPublicKey().getAlgorithm());
            long days = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toDays();
            assertTrue(days <= 14, "valid " + days + " days");
        }
    }

    @Test
    void startsWithASuppliedCertificate() throws Exception {
        ServerCertificate cert = ServerCertificate.selfSigned(List.of("relay.test"));
        try (RelayServer server = new RelayServer(loopback(), cert).start()) {
            assertSame(cert, server.certificate());
            assertEquals(cert.sha256Hex(), certificateHash(server));
        }
    }

    @Test
    void startsWithCertificateFromPemFiles(@TempDir Path dir) throws Exception {
        ServerCertificate cert = ServerCertificate.selfSigned(List.of("localhost"));
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(certFile, pem("CERTIFICATE", cert.leaf().getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", cert.privateKey().getEncoded()));
        try (RelayServer server = new RelayServer(loopback().withTls(certFile, keyFile)).start()) {
            assertEquals(cert.sha256Hex(), server.certificate().sha256Hex());
        }
    }

    @Test
    void aCertificateReloadAppliesToNewConnectionsWithoutDroppingSessions(@TempDir Path dir) throws Exception {
        ServerCertificate first = ServerCertificate.selfSigned(List.of("localhost"));
        ServerCertificate second = ServerCertificate.selfSigned(List.of("localhost"));
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(certFile, pem("CERTIFICATE", first.leaf().getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", first.privateKey().getEncoded()));
        try (RelayServer server = new RelayServer(loopback().withTls(certFile, keyFile)).start()) {
            String url = "moqt://127.0.0.1:" + server.port() + "/";
            try (dev.jmoq.core.client.MoqClient old = dev.jmoq.core.client.MoqClient.builder()
                            .certificateSha256(List.of(first.sha256())).build();
                    dev.jmoq.core.client.MoqClient renewed = dev.jmoq.core.client.MoqClient.builder()
                            .certificateSha256(List.of(second.sha256())).build()) {
                var established = old.connect(URI.create(url)).get(15, TimeUnit.SECONDS);
                // Rotate the files (the key first, as a renewal tool would, then the certificate).
                Files.writeString(keyFile, pem("PRIVATE KEY", second.privateKey().getEncoded()));
                Files.writeString(certFile, pem("CERTIFICATE", second.leaf().getEncoded()));
                Files.setLastModifiedTime(certFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
                Await.until("the relay reloads the certificate",
                        () -> server.certificate().sha256Hex().equals(second.sha256Hex()));
                assertEquals(second.sha256Hex(), server.certificate().sha256Hex());
                assertEquals(second.sha256Hex(), certificateHash(server));
                // New connections get the new certificate; the old pin no longer matches.
                renewed.connect(URI.create(url)).get(15, TimeUnit.SECONDS).close();
                assertThrows(Exception.class, () -> old.connect(URI.create(url)).get(15, TimeUnit.SECONDS));
                // The session established before the reload is still up.
                assertFalse(established.closed().isDone());
                established.close();
            }
        }
    }

    @Test
    void unreadableCertificateFailsStartWithAClearMessage(@TempDir Path dir) {
        RelayConfig config = loopback().withTls(dir.resolve("missing.pem"), dir.resolve("missing.key"));
        RelayServer server = new RelayServer(config);
        RuntimeException e = assertThrows(RuntimeException.class, server::start);
        assertTrue(e.getMessage().contains("certificate"), e.getMessage());
        assertFalse(server.isRunning());
    }

    @Test
    void keepsACustomConfigurationAsGiven() {
        RelayConfig config = loopback().withCache(32, Duration.ofSeconds(9), 1 << 20);
        try (RelayServer server = new RelayServer(config).start()) {
            assertSame(config, server.config());
            assertEquals(32, server.config().cacheMaxGroups());
            assertEquals(1 << 20, server.cacheBudget().limit());
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RelayConfig d = RelayConfig.defaults();
        assertEquals(4443, d.port());
        assertEquals(8, d.cacheMaxGroups());
        assertEquals(Duration.ofSeconds(5), d.cacheMaxAge());
        assertEquals("moq-lite-05", d.protocols().getFirst());
        assertTrue(d.webSocket());
    }

    @Test
    void invalidConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.defaults().withListen("127.0.0.1", 70000));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.defaults().withProtocols(List.of()));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.defaults().withTls(Path.of("a"), null));
    }

    @Test
    void closeIsIdempotent() {
        RelayServer server = new RelayServer(loopback()).start();
        server.close();
        server.close();
        server.shutdown(Duration.ofSeconds(1));
        assertFalse(server.isRunning());
    }

    @Test
    void shutdownIsIdempotentAndSafeFromManyThreads() throws Exception {
        RelayServer server = new RelayServer(loopback()).start();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    go.await();
                    if (n % 2 == 0) {
                        server.close();
                    } else {
                        server.shutdown(Duration.ofMillis(100));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertFalse(server.isRunning());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentStartsShareOneServer() throws Exception {
        RelayServer server = new RelayServer(loopback());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Set<Integer> ports = ConcurrentHashMap.newKeySet();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    ports.add(server.start().port());
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, ports.size());
            assertTrue(server.isRunning());
        } finally {
            pool.shutdownNow();
            server.close();
        }
    }

    @Test
    void aClosedServerCannotBeStartedAgain() {
        RelayServer server = new RelayServer(loopback()).start();
        server.close();
        assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void closeBeforeStartIsAllowed() {
        RelayServer server = new RelayServer(loopback());
        server.close();
        assertFalse(server.isRunning());
    }

    @Test
    void twoServersGetDifferentPortsAndCertificates() {
        try (RelayServer a = new RelayServer(loopback()).start(); RelayServer b = new RelayServer(loopback()).start()) {
            assertNotEquals(a.port(), b.port());
            assertNotEquals(a.certificate().sha256Hex(), b.certificate().sha256Hex());
        }
    }

    @Test
    void closeReleasesThePort() throws Exception {
        int port;
        try (RelayServer a = new RelayServer(loopback()).start()) {
            port = a.port();
        }
        try (RelayServer b = new RelayServer(loopback().withListen("127.0.0.1", port)).start()) {
            assertEquals(port, b.port());
        }
    }

    @Test
    void aGracefulShutdownSendsGoawayWithTheRedirectThenCloses() throws Exception {
        RelayConfig config = loopback().toBuilder().goawayUri(URI.create("https://relay2.example:4443/")).build();
        RelayServer server = new RelayServer(config).start();
        try (dev.jmoq.core.client.MoqClient client = dev.jmoq.core.client.MoqClient.builder().insecure(true).build()) {
            var session = client.connect(URI.create("moqt://127.0.0.1:" + server.port() + "/")).get(15, TimeUnit.SECONDS);
            Await.until("the relay counts the session", () -> server.sessionCount() == 1);
            Thread shutdown = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofSeconds(20)));
            // GOAWAY arrives first, while the session is still open...
            assertEquals("https://relay2.example:4443/", session.goaway().get(15, TimeUnit.SECONDS));
            assertFalse(session.closed().isDone());
            assertEquals(1, server.sessionStats().goawaysSent.sum());
            // ...and the session ends once the client leaves (well before the grace runs out).
            session.close();
            shutdown.join(Duration.ofSeconds(15));
            assertFalse(shutdown.isAlive());
            assertFalse(server.isRunning());
        } finally {
            server.close();
        }
    }

    @Test
    void closeCutsAGracefulShutdownShort() throws Exception {
        RelayServer server = new RelayServer(loopback()).start();
        try (dev.jmoq.core.client.MoqClient client = dev.jmoq.core.client.MoqClient.builder().insecure(true).build()) {
            var session = client.connect(URI.create("moqt://127.0.0.1:" + server.port() + "/")).get(15, TimeUnit.SECONDS);
            Await.until("the relay counts the session", () -> server.sessionCount() == 1);
            Thread shutdown = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofMinutes(10)));
            session.goaway().get(15, TimeUnit.SECONDS);
            server.close(); // the second signal: close at once
            shutdown.join(Duration.ofSeconds(15));
            assertFalse(shutdown.isAlive(), "a ten-minute grace was cut short");
            session.closed().get(15, TimeUnit.SECONDS);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
