package dev.jmoq.relay;

import dev.jmoq.relay.admin.AdminOptions;
import dev.jmoq.relay.auth.AuthOptions;
import dev.jmoq.relay.cluster.ClusterOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every relay option, with its default. Immutable; build variants with {@link #toBuilder()} or the
 * {@code with...} methods. The documented list of options, their defaults, file keys and environment
 * variables is docs/configuration.md; {@code dev.jmoq.relay.config.Options} maps each to this record.
 *
 * @param host                  address to bind (UDP for QUIC and WebTransport, TCP for WebSocket and HTTP)
 * @param port                  port number for both; 0 picks a free one (UDP first, then the same TCP port)
 * @param certificate           PEM certificate chain; null generates a self-signed ECDSA P-256 certificate
 * @param privateKey            PEM private key for {@code certificate}
 * @param hostnames             names the self-signed certificate is issued for
 * @param eventLoops            Netty event loops (and QUIC channels); 0 means one per core
 * @param idleTimeout           idle timeout of every transport: a peer silent this long is dropped, keep-alives
 *                              go out every third of it
 * @param cacheMaxGroups        groups cached per track
 * @param cacheMaxAge           age after which a group other than the newest is evicted
 * @param cacheMaxBytes         relay-wide byte budget of the group caches
 * @param maxFrameSize          largest frame accepted from a publisher
 * @param maxMessageSize        largest control message accepted
 * @param groupsInFlight        group streams open per subscription before the oldest is reset as lagging
 * @param trackLinger           how long an upstream subscription outlives its last subscriber
 * @param protocols             MoQ protocols offered, in order of preference
 * @param webSocket             serve WebSocket and HTTP on the TCP port
 * @param cacheMaxBytesPerTrack bytes one track's cache may hold (the newest group always stays); 0 for no cap
 * @param limits                session, stream, announcement and rate caps
 * @param admin                 the admin HTTP listener (health, readiness, metrics, announced)
 * @param auth                  token verification, anonymous prefixes and the browser origin allow-list
 * @param shutdownGrace         time sessions get to end by themselves on shutdown
 * @param goawayUri             where sessions are told to reconnect (GOAWAY) on shutdown; null for none
 * @param cluster               links to other relays
 * @param handshakeTimeout      bound on each handshake stage (HTTP request, qmux preamble, WebTransport CONNECT,
 *                              MoQ SETUP); zero for none
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
        boolean webSocket,
        long cacheMaxBytesPerTrack,
        RelayLimits limits,
        AdminOptions admin,
        AuthOptions auth,
        Duration shutdownGrace,
        URI goawayUri,
        ClusterOptions cluster,
        Duration handshakeTimeout) {

    public static final int DEFAULT_PORT = 4443;

    /** The protocols this build speaks, most preferred first: those of every registered protocol family. */
    public static final List<String> SUPPORTED_PROTOCOLS = dev.jmoq.core.session.SessionFactory.defaults().protocols();

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
        if (cacheMaxBytes <= 0 || cacheMaxBytesPerTrack < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be > 0 and cacheMaxBytesPerTrack >= 0");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative");
        }
        if (handshakeTimeout.isNegative()) {
            throw new IllegalArgumentException("handshakeTimeout must not be negative");
        }
    }

    /** The embedded defaults: all interfaces, port 4443, a self-signed certificate, admin on 127.0.0.1:9090. */
    public static RelayConfig defaults() {
        return new RelayConfig("0.0.0.0", DEFAULT_PORT, null, null, List.of("localhost", "127.0.0.1", "::1"),
                0, Duration.ofSeconds(30), 8, Duration.ofSeconds(5), 512L << 20, 16 << 20, 64 << 10, 4,
                Duration.ofSeconds(2), SUPPORTED_PROTOCOLS, true, 64L << 20, RelayLimits.defaults(),
                AdminOptions.defaults(), AuthOptions.defaults(), Duration.ofSeconds(2), null, ClusterOptions.none(),
                Duration.ofSeconds(10));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Listens on {@code host:port}. Port 0 (a free port, as tests use) also moves the admin listener to a
     * free port, so relays started side by side never collide on the admin default 9090.
     */
    public RelayConfig withListen(String host, int port) {
        Builder b = toBuilder().host(host).port(port);
        if (port == 0 && admin.port() != 0) {
            b.admin(new AdminOptions(admin.enabled(), admin.host(), 0, admin.broadcastSeries()));
        }
        return b.build();
    }

    public RelayConfig withTls(Path certificate, Path privateKey) {
        return toBuilder().certificate(certificate).privateKey(privateKey).build();
    }

    public RelayConfig withCache(int maxGroups, Duration maxAge, long maxBytes) {
        return toBuilder().cacheMaxGroups(maxGroups).cacheMaxAge(maxAge).cacheMaxBytes(maxBytes).build();
    }

    public RelayConfig withEventLoops(int eventLoops) {
        return toBuilder().eventLoops(eventLoops).build();
    }

    public RelayConfig withProtocols(List<String> protocols) {
        return toBuilder().protocols(protocols).build();
    }

    public RelayConfig withAdmin(AdminOptions admin) {
        return toBuilder().admin(admin).build();
    }

    public RelayConfig withAuth(AuthOptions auth) {
        return toBuilder().auth(auth).build();
    }

    public RelayConfig withCluster(ClusterOptions cluster) {
        return toBuilder().cluster(cluster).build();
    }

    public RelayConfig withLimits(RelayLimits limits) {
        return toBuilder().limits(limits).build();
    }

    /** A mutable copy of a config; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private Path certificate;
        private Path privateKey;
        private List<String> hostnames;
        private int eventLoops;
        private Duration idleTimeout;
        private int cacheMaxGroups;
        private Duration cacheMaxAge;
        private long cacheMaxBytes;
        private int maxFrameSize;
        private int maxMessageSize;
        private int groupsInFlight;
        private Duration trackLinger;
        private List<String> protocols;
        private boolean webSocket;
        private long cacheMaxBytesPerTrack;
        private Duration handshakeTimeout;
        private RelayLimits limits;
        private AdminOptions admin;
        private AuthOptions auth;
        private Duration shutdownGrace;
        private URI goawayUri;
        private ClusterOptions cluster;

        private Builder(RelayConfig c) {
            host = c.host;
            port = c.port;
            certificate = c.certificate;
            privateKey = c.privateKey;
            hostnames = c.hostnames;
            eventLoops = c.eventLoops;
            idleTimeout = c.idleTimeout;
            cacheMaxGroups = c.cacheMaxGroups;
            cacheMaxAge = c.cacheMaxAge;
            cacheMaxBytes = c.cacheMaxBytes;
            maxFrameSize = c.maxFrameSize;
            maxMessageSize = c.maxMessageSize;
            groupsInFlight = c.groupsInFlight;
            trackLinger = c.trackLinger;
            protocols = c.protocols;
            webSocket = c.webSocket;
            cacheMaxBytesPerTrack = c.cacheMaxBytesPerTrack;
            handshakeTimeout = c.handshakeTimeout;
            limits = c.limits;
            admin = c.admin;
            auth = c.auth;
            shutdownGrace = c.shutdownGrace;
            goawayUri = c.goawayUri;
            cluster = c.cluster;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder certificate(Path v) { certificate = v; return this; }
        public Builder privateKey(Path v) { privateKey = v; return this; }
        public Builder hostnames(List<String> v) { hostnames = v; return this; }
        public Builder eventLoops(int v) { eventLoops = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder cacheMaxGroups(int v) { cacheMaxGroups = v; return this; }
        public Builder cacheMaxAge(Duration v) { cacheMaxAge = v; return this; }
        public Builder cacheMaxBytes(long v) { cacheMaxBytes = v; return this; }
        public Builder maxFrameSize(int v) { maxFrameSize = v; return this; }
        public Builder maxMessageSize(int v) { maxMessageSize = v; return this; }
        public Builder groupsInFlight(int v) { groupsInFlight = v; return this; }
        public Builder trackLinger(Duration v) { trackLinger = v; return this; }
        public Builder protocols(List<String> v) { protocols = v; return this; }
        public Builder webSocket(boolean v) { webSocket = v; return this; }
        public Builder cacheMaxBytesPerTrack(long v) { cacheMaxBytesPerTrack = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder limits(RelayLimits v) { limits = v; return this; }
        public Builder admin(AdminOptions v) { admin = v; return this; }
        public Builder auth(AuthOptions v) { auth = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder goawayUri(URI v) { goawayUri = v; return this; }
        public Builder cluster(ClusterOptions v) { cluster = v; return this; }

        public RelayLimits limits() { return limits; }
        public AdminOptions admin() { return admin; }
        public AuthOptions auth() { return auth; }

        public RelayConfig build() {
            return new RelayConfig(host, port, certificate, privateKey, hostnames, eventLoops, idleTimeout,
                    cacheMaxGroups, cacheMaxAge, cacheMaxBytes, maxFrameSize, maxMessageSize, groupsInFlight,
                    trackLinger, protocols, webSocket, cacheMaxBytesPerTrack, limits, admin, auth, shutdownGrace,
                    goawayUri, cluster, handshakeTimeout);
        }
    }
}
