package dev.jmoq.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every relay option, with its default. Immutable; build variants with the {@code with...} methods.
 * The documented list of options, their defaults and their environment variables is docs/configuration.md.
 *
 * @param host               address to bind (UDP for QUIC and WebTransport, TCP for WebSocket and HTTP)
 * @param port               port number for both; 0 picks a free one (UDP first, then the same TCP port)
 * @param certificate        PEM certificate chain; null generates a self-signed ECDSA P-256 certificate
 * @param privateKey         PEM private key for {@code certificate}
 * @param hostnames          names the self-signed certificate is issued for
 * @param eventLoops         Netty event loops (and QUIC channels); 0 means one per core
 * @param idleTimeout        QUIC idle timeout
 * @param cacheMaxGroups     groups cached per track
 * @param cacheMaxAge        age after which a group other than the newest is evicted
 * @param cacheMaxBytes      relay-wide byte budget of the group caches
 * @param maxFrameSize       largest frame accepted from a publisher
 * @param maxMessageSize     largest control message accepted
 * @param groupsInFlight     group streams open per subscription before the oldest is reset as lagging
 * @param trackLinger        how long an upstream subscription outlives its last subscriber
 * @param protocols          MoQ protocols offered, in order of preference
 * @param webSocket          serve WebSocket and HTTP on the TCP port
 */
public record RelayConfig(
        String host,
        int port,
        Path certificate,
        Path privateKey,
        List<String> hostnames,
        int eventLoops,
        Duration idleTimeout,
        int cacheMaxGroups,
        Duration cacheMaxAge,
        long cacheMaxBytes,
        int maxFrameSize,
        int maxMessageSize,
        int groupsInFlight,
        Duration trackLinger,
        List<String> protocols,
        boolean webSocket) {

    public static final int DEFAULT_PORT = 4443;

    public RelayConfig {
        hostnames = List.copyOf(hostnames);
        protocols = List.copyOf(protocols);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("certificate and private key must be given together");
        }
        if (groupsInFlight < 1) {
            throw new IllegalArgumentException("groupsInFlight must be at least 1: " + groupsInFlight);
        }
        if (maxFrameSize < 1 || maxMessageSize < 64) {
            throw new IllegalArgumentException("maxFrameSize must be >= 1 and maxMessageSize >= 64");
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one protocol must be offered");
        }
    }

    /** The embedded defaults: all interfaces, port 4443, a self-signed certificate. */
    public static RelayConfig defaults() {
        return new RelayConfig("0.0.0.0", DEFAULT_PORT, null, null, List.of("localhost", "127.0.0.1", "::1"),
                0, Duration.ofSeconds(30), 8, Duration.ofSeconds(5), 512L << 20, 16 << 20, 64 << 10, 4,
                Duration.ofSeconds(2), SUPPORTED_PROTOCOLS, true);
    }

    /** The protocols this build speaks, most preferred first. */
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("moq-lite-04", "moq-lite-03", "moql");

    public RelayConfig withListen(String host, int port) {
        return new RelayConfig(host, port, certificate, privateKey, hostnames, eventLoops, idleTimeout,
                cacheMaxGroups, cacheMaxAge, cacheMaxBytes, maxFrameSize, maxMessageSize, groupsInFlight,
                trackLinger, protocols, webSocket);
    }

    public RelayConfig withTls(Path certificate, Path privateKey) {
        return new RelayConfig(host, port, certificate, privateKey, hostnames, eventLoops, idleTimeout,
                cacheMaxGroups, cacheMaxAge, cacheMaxBytes, maxFrameSize, maxMessageSize, groupsInFlight,
                trackLinger, protocols, webSocket);
    }

    public RelayConfig withCache(int maxGroups, Duration maxAge, long maxBytes) {
        return new RelayConfig(host, port, certificate, privateKey, hostnames, eventLoops, idleTimeout,
                maxGroups, maxAge, maxBytes, maxFrameSize, maxMessageSize, groupsInFlight, trackLinger,
                protocols, webSocket);
    }

    public RelayConfig withEventLoops(int eventLoops) {
        return new RelayConfig(host, port, certificate, privateKey, hostnames, eventLoops, idleTimeout,
                cacheMaxGroups, cacheMaxAge, cacheMaxBytes, maxFrameSize, maxMessageSize, groupsInFlight,
                trackLinger, protocols, webSocket);
    }

    public RelayConfig withProtocols(List<String> protocols) {
        return new RelayConfig(host, port, certificate, privateKey, hostnames, eventLoops, idleTimeout,
                cacheMaxGroups, cacheMaxAge, cacheMaxBytes, maxFrameSize, maxMessageSize, groupsInFlight,
                trackLinger, protocols, webSocket);
    }
}
