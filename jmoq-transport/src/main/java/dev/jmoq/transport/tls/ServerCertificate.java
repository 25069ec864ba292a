package dev.jmoq.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate chain and its private key, immutable. Either loaded from PEM files or generated
 * self-signed: ECDSA P-256, valid 14 days, because browsers accept {@code serverCertificateHashes}
 * only for such certificates.
 */
public final class ServerCertificate {
    /** Browsers refuse certificate hashes for certificates valid longer than 14 days. */
    public static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(14);

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final String sha256Hex;

    private ServerCertificate(List<X509Certificate> chain, PrivateKey key) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain is empty");
        }
        this.chain = List.copyOf(chain);
        this.key = key;
        try {
            this.sha256Hex = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(chain.getFirst().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Generates a self-signed ECDSA P-256 certificate valid 14 days (from one hour ago) for {@code hostnames}. */
    public static ServerCertificate selfSigned(List<String> hostnames) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            Instant now = Instant.now();
            // Start slightly in the past for clock skew; end within the 14-day browser limit.
            Instant notBefore = now.minus(Duration.ofHours(1));
            Instant notAfter = notBefore.plus(SELF_SIGNED_VALIDITY).minusSeconds(60);
            X500Name subject = new X500Name("CN=" + (hostnames.isEmpty() ? "localhost" : hostnames.getFirst()));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()).abs(), Date.from(notBefore), Date.from(notAfter), subject,
                    pair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String host : hostnames) {
                boolean ip = host.matches("[0-9.]+") || host.contains(":");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new ServerCertificate(List.of(cert), pair.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** Loads a PEM certificate chain (leaf first) and a PEM private key (PKCS#8, SEC1 EC or PKCS#1 RSA). */
    public static ServerCertificate fromPem(Path certificateChain, Path privateKey) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try (var in = Files.newInputStream(certificateChain)) {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificate chain " + certificateChain + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + certificateChain);
        }
        PrivateKey key;
        try (Reader reader = Files.newBufferedReader(privateKey); PEMParser parser = new PEMParser(reader)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                key = converter.getKeyPair(kp).getPrivate();
            } else if (o instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                throw new IOException("no private key in " + privateKey);
            }
        }
        return new ServerCertificate(chain, key);
    }

    /** The chain, leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public PrivateKey privateKey() {
        return key;
    }

    /** Lowercase hex SHA-256 of the leaf certificate's DER encoding (what {@code /certificate.sha256} serves). */
    public String sha256Hex() {
        return sha256Hex;
    }

    /** The leaf's SHA-256 as bytes. */
    public byte[] sha256() {
        return HexFormat.of().parseHex(sha256Hex);
    }
}
