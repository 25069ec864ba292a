package dev.jmoq.relay.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One JSON Web Key for HS256, ES256 or EdDSA (Ed25519), with the JDK's crypto. Reads and writes the JWK
 * fields moq-dev's moq-token uses ({@code alg}, {@code kty}, {@code crv}, {@code k}, {@code x},
 * {@code y}, {@code d}, {@code kid}, {@code key_ops}). Immutable; thread-safe (each operation takes its
 * own {@link Mac} or {@link Signature}).
 */
public final class JwtKey {
    /** moq-token's (and js/token's) minimum for an HMAC secret. */
    static final int MIN_SECRET_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    // DER prefixes of an Ed25519 SubjectPublicKeyInfo and a PKCS#8 private key (RFC 8410) before the 32 raw bytes.
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED25519_PKCS8 = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final JwtAlgorithm algorithm;
    private final String kid;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final PrivateKey privateKey;
    private final boolean mayVerify;
    private final boolean maySign;

    private JwtKey(JwtAlgorithm algorithm, String kid, byte[] secret, PublicKey publicKey, PrivateKey privateKey,
            boolean mayVerify, boolean maySign) {
        this.algorithm = algorithm;
        this.kid = kid;
        this.secret = secret;
        this.publicKey = publicKey;
        this.privateKey = privateKey;
        this.mayVerify = mayVerify;
        this.maySign = maySign && (secret != null || privateKey != null);
    }

    public JwtAlgorithm algorithm() {
        return algorithm;
    }

    /** The key id, or null. */
    public String kid() {
        return kid;
    }

    public boolean canSign() {
        return maySign;
    }

    public boolean canVerify() {
        return mayVerify;
    }

    /** A new random key: a 32-byte secret (HS256), a P-256 pair (ES256) or an Ed25519 pair (EdDSA). */
    public static JwtKey generate(JwtAlgorithm algorithm, String kid) {
        try {
            return switch (algorithm) {
                case HS256 -> {
                    byte[] k = new byte[MIN_SECRET_BYTES];
                    new SecureRandom().nextBytes(k);
                    yield new JwtKey(algorithm, kid, k, null, null, true, true);
                }
                case ES256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    KeyPair p = g.generateKeyPair();
                    yield new JwtKey(algorithm, kid, null, p.getPublic(), p.getPrivate(), true, true);
                }
                case EdDSA -> {
                    KeyPair p = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    yield new JwtKey(algorithm, kid, null, p.getPublic(), p.getPrivate(), true, true);
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm + ": " + e.getMessage(), e);
        }
    }

    /** Parses one JWK object. A key without {@code kty} is an {@code oct} key, as moq-token reads it. */
    public static JwtKey fromJwk(JsonNode jwk) throws KeyFormatException {
        if (!jwk.isObject()) {
            throw new KeyFormatException("a JWK must be a JSON object");
        }
        String algName = text(jwk, "alg", true);
        JwtAlgorithm alg = JwtAlgorithm.fromJose(algName);
        if (alg == null) {
            throw new KeyFormatException("unsupported alg \"" + algName + "\" (supported: HS256, ES256, EdDSA)");
        }
        String kty = jwk.has("kty") ? text(jwk, "kty", true) : "oct";
        String kid = text(jwk, "kid", false);
        boolean verify = true;
        boolean sign = true;
        JsonNode ops = jwk.get("key_ops");
        if (ops != null && ops.isArray()) {
            Set<String> set = new java.util.HashSet<>();
            ops.forEach(n -> set.add(n.asText()));
            verify = set.contains("verify");
            sign = set.contains("sign");
        }
        try {
            switch (alg) {
                case HS256 -> {
                    expect(kty, "oct", alg);
                    byte[] k = bytes(jwk, "k", true);
                    if (k.length < MIN_SECRET_BYTES) {
                        throw new KeyFormatException("an HS256 secret needs at least " + MIN_SECRET_BYTES + " bytes");
                    }
                    return new JwtKey(alg, kid, k, null, null, verify, sign);
                }
                case ES256 -> {
                    expect(kty, "EC", alg);
                    String crv = text(jwk, "crv", true);
                    if (!crv.equals("P-256")) {
                        throw new KeyFormatException("ES256 needs crv P-256, not " + crv);
                    }
                    ECParameterSpec spec = p256();
                    KeyFactory f = KeyFactory.getInstance("EC");
                    ECPoint w = new ECPoint(new BigInteger(1, fixed(jwk, "x", 32)), new BigInteger(1, fixed(jwk, "y", 32)));
                    PublicKey pub = f.generatePublic(new ECPublicKeySpec(w, spec));
                    byte[] d = bytes(jwk, "d", false);
                    PrivateKey priv = d == null ? null : f.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), spec));
                    return new JwtKey(alg, kid, null, pub, priv, verify, sign);
                }
                case EdDSA -> {
                    expect(kty, "OKP", alg);
                    String crv = text(jwk, "crv", true);
                    if (!crv.equals("Ed25519")) {
                        throw new KeyFormatException("EdDSA supports crv Ed25519, not " + crv);
                    }
                    KeyFactory f = KeyFactory.getInstance("Ed25519");
                    PublicKey pub = f.generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, fixed(jwk, "x", 32))));
                    byte[] d = bytes(jwk, "d", false);
                    PrivateKey priv = null;
                    if (d != null) {
                        if (d.length != 32) {
                            throw new KeyFormatException("an Ed25519 d must be 32 bytes");
                        }
                        priv = f.generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8, d)));
                    }
                    return new JwtKey(alg, kid, null, pub, priv, verify, sign);
                }
                default -> throw new KeyFormatException("unsupported alg " + alg);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyFormatException("invalid " + alg + " key material: " + e.getMessage());
        }
    }

    /** The JWK; with {@code includePrivate} false, only the public part (an HS256 key has none and throws). */
    public ObjectNode toJwk(boolean includePrivate) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("alg", algorithm.name());
        switch (algorithm) {
            case HS256 -> {
                if (!includePrivate) {
                    throw new IllegalStateException("an HS256 key is a shared secret; it has no public part");
                }
                o.put("kty", "oct");
                o.put("k", B64.encodeToString(secret));
            }
            case ES256 -> {
                ECPublicKey pub = (ECPublicKey) publicKey;
                o.put("kty", "EC");
                o.put("crv", "P-256");
                o.put("x", B64.encodeToString(unsigned(pub.getW().getAffineX(), 32)));
                o.put("y", B64.encodeToString(unsigned(pub.getW().getAffineY(), 32)));
                if (includePrivate && privateKey != null) {
                    o.put("d", B64.encodeToString(unsigned(((ECPrivateKey) privateKey).getS(), 32)));
                }
            }
            case EdDSA -> {
                o.put("kty", "OKP");
                o.put("crv", "Ed25519");
                byte[] spki = publicKey.getEncoded();
                o.put("x", B64.encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
                if (includePrivate && privateKey != null) {
                    byte[] pkcs8 = privateKey.getEncoded();
                    o.put("d", B64.encodeToString(Arrays.copyOfRange(pkcs8, ED25519_PKCS8.length,
                            ED25519_PKCS8.length + 32)));
                }
            }
            default -> throw new IllegalStateException();
        }
        if (kid != null) {
            o.put("kid", kid);
        }
        var ops = o.putArray("key_ops");
        if (includePrivate && canSign()) {
            ops.add("sign");
        }
        ops.add("verify");
        return o;
    }

    /** The JWS signature of {@code input}. */
    byte[] sign(byte[] input) {
        if (!maySign) {
            throw new IllegalStateException("this key cannot sign (public key only, or key_ops lacks sign)");
        }
        try {
            return switch (algorithm) {
                case HS256 -> mac(input);
                case ES256, EdDSA -> {
                    Signature s = Signature.getInstance(jca());
                    s.initSign(privateKey);
                    s.update(input);
                    yield s.sign();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /** True when {@code signature} is this key's JWS signature of {@code input}. */
    boolean verify(byte[] input, byte[] signature) {
        if (!mayVerify) {
            return false;
        }
        try {
            return switch (algorithm) {
                case HS256 -> MessageDigest.isEqual(mac(input), signature);
                case ES256, EdDSA -> {
                    if (algorithm == JwtAlgorithm.ES256 && signature.length != 64) {
                        yield false;
                    }
                    Signature s = Signature.getInstance(jca());
                    s.initVerify(publicKey);
                    s.update(input);
                    yield s.verify(signature);
                }
            };
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("verification failed: " + e.getMessage(), e);
        }
    }

    private String jca() {
        // JWS ES256 signatures are the raw r||s pair (RFC 7518 3.4), which is the P1363 format, not DER.
        return algorithm == JwtAlgorithm.ES256 ? "SHA256withECDSAinP1363Format" : "Ed25519";
    }

    private byte[] mac(byte[] input) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(secret, "HmacSHA256"));
        return m.doFinal(input);
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        return p.getParameterSpec(ECParameterSpec.class);
    }

    private static void expect(String kty, String want, JwtAlgorithm alg) throws KeyFormatException {
        if (!kty.equals(want)) {
            throw new KeyFormatException(alg + " needs kty " + want + ", not " + kty);
        }
    }

    private static String text(JsonNode o, String name, boolean required) throws KeyFormatException {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw new KeyFormatException("JWK lacks \"" + name + "\"");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new KeyFormatException("JWK \"" + name + "\" is not a string");
        }
        return n.textValue();
    }

    private static byte[] bytes(JsonNode o, String name, boolean required) throws KeyFormatException {
        String s = text(o, name, required);
        if (s == null) {
            return null;
        }
        try {
            return UNB64.decode(s);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("JWK \"" + name + "\" is not base64url");
        }
    }

    private static byte[] fixed(JsonNode o, String name, int length) throws KeyFormatException {
        byte[] b = bytes(o, name, true);
        if (b.length != length) {
            throw new KeyFormatException("JWK \"" + name + "\" must be " + length + " bytes, not " + b.length);
        }
        return b;
    }

    private static byte[] unsigned(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "JwtKey[" + algorithm + (kid == null ? "" : " kid=" + kid) + "]";
    }
}
