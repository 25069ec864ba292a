package dev.jmoq.relay;

import dev.jmoq.transport.tls.CertificateStore;
import dev.jmoq.transport.tls.ServerCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The relay's TLS certificate: the one given in code, else the configured PEM pair, else a self-signed
 * one for the configured host names; and when it came from files, a reload whenever the files change
 * (size or modification time). Established sessions keep their connection; new ones get the new
 * certificate through the shared {@link CertificateStore}.
 *
 * <p>Threading: {@link #load()} once, then {@link #reloadIfChanged()} from one thread at a time (the
 * sweeper); {@link #store()} from any thread.
 */
final class CertificateReloader {
    private static final System.Logger LOG = System.getLogger("jmoq.relay");

    private final ServerCertificate supplied;
    private final Path certificate;
    private final Path privateKey;
    private final List<String> hostnames;
    private volatile CertificateStore store;
    private volatile String stamp = "";

    /**
     * @param supplied    a certificate given in code (takes precedence), or null
     * @param certificate the PEM certificate file, or null to generate a self-signed one
     */
    CertificateReloader(ServerCertificate supplied, Path certificate, Path privateKey, List<String> hostnames) {
        this.supplied = supplied;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.hostnames = hostnames;
    }

    /**
     * Loads the first certificate and returns the store that serves it.
     *
     * @throws UncheckedIOException the configured files cannot be read or parsed
     */
    CertificateStore load() {
        ServerCertificate cert = supplied;
        if (cert == null && certificate != null) {
            try {
                cert = ServerCertificate.fromPem(certificate, privateKey);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load TLS certificate: " + e.getMessage(), e);
            }
        }
        if (cert == null) {
            cert = ServerCertificate.selfSigned(hostnames);
        }
        CertificateStore s = new CertificateStore(cert);
        if (fromFiles()) {
            stamp = stamp(certificate, privateKey);
        }
        store = s;
        return s;
    }

    /** The store new connections take their certificate from; null before {@link #load()}. */
    CertificateStore store() {
        return store;
    }

    private boolean fromFiles() {
        return supplied == null && certificate != null;
    }

    /** Reloads the pair when the files changed; true when a new certificate was loaded. */
    boolean reloadIfChanged() {
        CertificateStore s = store;
        if (!fromFiles() || s == null) {
            return false;
        }
        String now = stamp(certificate, privateKey);
        if (now.equals(stamp)) {
            return false;
        }
        try {
            ServerCertificate next = ServerCertificate.fromPem(certificate, privateKey);
            s.replace(next);
            stamp = now;
            LOG.log(System.Logger.Level.INFO, "event=certificate_reloaded certificate_sha256=" + next.sha256Hex());
            return true;
        } catch (IOException | RuntimeException e) {
            // A half-written pair (certificate before key) fails here; the next tick retries.
            LOG.log(System.Logger.Level.WARNING, "event=certificate_reload_failed reason=\"" + e.getMessage() + "\"");
            return false;
        }
    }

    private static String stamp(Path cert, Path key) {
        try {
            return Files.getLastModifiedTime(cert).toMillis() + ":" + Files.size(cert) + ":"
                    + Files.getLastModifiedTime(key).toMillis() + ":" + Files.size(key);
        } catch (IOException e) {
            return "missing";
        }
    }
}
