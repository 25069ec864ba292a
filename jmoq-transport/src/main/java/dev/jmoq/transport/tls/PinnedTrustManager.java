package dev.jmoq.transport.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server whose leaf certificate has one of the given SHA-256 hashes, like a browser given
 * {@code serverCertificateHashes}; the chain and host name are not checked. Immutable and thread-safe.
 */
public final class PinnedTrustManager implements X509TrustManager {
    private final List<byte[]> hashes;

    public PinnedTrustManager(List<byte[]> hashes) {
        this.hashes = List.copyOf(hashes);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no server certificate");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
        for (byte[] h : hashes) {
            if (MessageDigest.isEqual(h, digest)) {
                return;
            }
        }
        throw new CertificateException("server certificate hash is not one of the pinned hashes");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
