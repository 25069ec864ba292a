package dev.jmoq.relay.cluster;

import java.net.URI;
import java.util.HexFormat;
import java.util.List;

/**
 * Links to other relays.
 *
 * @param upstreams         relays this relay dials and pulls broadcasts from
 * @param peers             relays this relay exchanges broadcasts with, both ways
 * @param insecure          accept any certificate on links (development only)
 * @param certificateSha256 accept link certificates with these SHA-256 hashes (lowercase hex)
 * @param token             JWT presented on every link ({@code ?jwt=}); null for none
 */
public record ClusterOptions(List<URI> upstreams, List<URI> peers, boolean insecure, List<String> certificateSha256,
        String token) {
    public ClusterOptions {
        upstreams = List.copyOf(upstreams);
        peers = List.copyOf(peers);
        certificateSha256 = List.copyOf(certificateSha256);
        for (URI u : upstreams) {
            check(u);
        }
        for (URI u : peers) {
            check(u);
        }
        for (String h : certificateSha256) {
            if (!h.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("certificate hash must be 64 hex digits: " + h);
            }
        }
    }

    private static void check(URI u) {
        if (u.getScheme() == null || !List.of("moqt", "quic", "moq", "ws", "wss").contains(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("link URL must be moqt://host:port/ or ws(s)://host:port/: " + u);
        }
    }

    public static ClusterOptions none() {
        return new ClusterOptions(List.of(), List.of(), false, List.of(), null);
    }

    public List<byte[]> certificateHashes() {
        return certificateSha256.stream().map(h -> HexFormat.of().parseHex(h)).toList();
    }

    public ClusterOptions withUpstreams(List<URI> v) {
        return new ClusterOptions(v, peers, insecure, certificateSha256, token);
    }

    public ClusterOptions withPeers(List<URI> v) {
        return new ClusterOptions(upstreams, v, insecure, certificateSha256, token);
    }

    public ClusterOptions withInsecure(boolean v) {
        return new ClusterOptions(upstreams, peers, v, certificateSha256, token);
    }
}
