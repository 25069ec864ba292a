package dev.jmoq.relay.config;

import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayLimits;
import dev.jmoq.relay.admin.AdminOptions;
import dev.jmoq.relay.auth.AuthOptions;
import dev.jmoq.relay.cluster.ClusterOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one list of relay options: section, key, type, description, and how each maps onto
 * {@link RelayConfig}. docs/configuration.md documents the same list (a test keeps them in step).
 * Stateless.
 */
public final class Options {
    private Options() {
    }

    private static final Duration DAY = Duration.ofDays(1);
    private static final long TIB = 1L << 40;

    public static final OptionSpec<String> SERVER_HOST = new OptionSpec<>("server", "host", ValueType.text(),
            "Address to bind: UDP for QUIC and WebTransport, TCP for WebSocket.", RelayConfig::host);
    public static final OptionSpec<Integer> SERVER_PORT = new OptionSpec<>("server", "port",
            ValueType.integer(0, 65535), "UDP and TCP port; 0 picks a free one.", RelayConfig::port);
    public static final OptionSpec<List<String>> SERVER_HOSTNAMES = new OptionSpec<>("server", "hostnames",
            ValueType.list("a non-empty list of host names", false, s -> s.isEmpty() ? "empty host name" : null),
            "Names the self-signed certificate is issued for.", RelayConfig::hostnames);
    public static final OptionSpec<Integer> SERVER_EVENT_LOOPS = new OptionSpec<>("server", "event_loops",
            ValueType.integer(0, 1024), "Netty event loops (and QUIC channels); 0 means one per core.",
            RelayConfig::eventLoops);
    public static final OptionSpec<Duration> SERVER_IDLE_TIMEOUT = new OptionSpec<>("server", "idle_timeout",
            ValueType.duration(Duration.ofMillis(100), DAY),
            "Idle timeout of every transport: a peer silent this long is dropped; keep-alives every third of it.",
            RelayConfig::idleTimeout);
    public static final OptionSpec<Duration> SERVER_HANDSHAKE_TIMEOUT = new OptionSpec<>("server", "handshake_timeout",
            ValueType.duration(Duration.ZERO, Duration.ofMinutes(10)),
            "Time each handshake stage may take (HTTP request, qmux preamble, WebTransport CONNECT, MoQ SETUP); 0s for none.",
            RelayConfig::handshakeTimeout);
    public static final OptionSpec<List<String>> SERVER_PROTOCOLS = new OptionSpec<>("server", "protocols",
            ValueType.list("a non-empty list from " + RelayConfig.SUPPORTED_PROTOCOLS, false,
                    s -> RelayConfig.SUPPORTED_PROTOCOLS.contains(s) ? null
                            : "unsupported protocol \"" + s + "\""),
            "MoQ protocols offered, most preferred first.", RelayConfig::protocols);
    public static final OptionSpec<Boolean> SERVER_WEBSOCKET = new OptionSpec<>("server", "websocket",
            ValueType.bool(), "Serve WebSocket and HTTP (/certificate.sha256) on the TCP port.",
            RelayConfig::webSocket);

    public static final OptionSpec<Path> TLS_CERTIFICATE = new OptionSpec<>("tls", "certificate",
            ValueType.optionalPath(), "PEM certificate chain; unset generates a self-signed ECDSA P-256 one.",
            RelayConfig::certificate);
    public static final OptionSpec<Path> TLS_PRIVATE_KEY = new OptionSpec<>("tls", "private_key",
            ValueType.optionalPath(), "PEM private key of tls.certificate (both or neither).",
            RelayConfig::privateKey);

    public static final OptionSpec<Integer> CACHE_MAX_GROUPS = new OptionSpec<>("cache", "max_groups",
            ValueType.integer(1, 1 << 16), "Groups cached per track.", RelayConfig::cacheMaxGroups);
    public static final OptionSpec<Duration> CACHE_MAX_AGE = new OptionSpec<>("cache", "max_age",
            ValueType.duration(Duration.ZERO, DAY), "Age after which a cached group (other than the newest) is evicted.",
            RelayConfig::cacheMaxAge);
    public static final OptionSpec<Long> CACHE_MAX_BYTES = new OptionSpec<>("cache", "max_bytes",
            ValueType.size(1, TIB), "Relay-wide byte budget of all group caches.", RelayConfig::cacheMaxBytes);
    public static final OptionSpec<Long> CACHE_MAX_BYTES_PER_TRACK = new OptionSpec<>("cache", "max_bytes_per_track",
            ValueType.size(0, TIB), "Bytes one track's cache may hold (its newest group always stays); 0 for no cap.",
            RelayConfig::cacheMaxBytesPerTrack);

    public static final OptionSpec<Integer> LIMITS_SESSIONS = new OptionSpec<>("limits", "sessions",
            ValueType.integer(0, Integer.MAX_VALUE), "Sessions open at once, relay-wide; 0 for no limit.",
            c -> c.limits().sessions());
    public static final OptionSpec<Integer> LIMITS_SESSIONS_PER_ADDRESS = new OptionSpec<>("limits",
            "sessions_per_address", ValueType.integer(0, Integer.MAX_VALUE),
            "Sessions open at once from one IP address; 0 for no limit.", c -> c.limits().sessionsPerAddress());
    public static final OptionSpec<Integer> LIMITS_STREAMS_PER_SESSION = new OptionSpec<>("limits",
            "streams_per_session", ValueType.integer(0, Integer.MAX_VALUE),
            "Streams of each direction a peer may have open at once in one session (QUIC initial_max_streams, qmux transport parameters); 0 for the transport default of 1000.",
            c -> c.limits().streamsPerSession());
    public static final OptionSpec<Integer> LIMITS_ANNOUNCEMENTS_PER_SESSION = new OptionSpec<>("limits",
            "announcements_per_session", ValueType.integer(0, Integer.MAX_VALUE),
            "Broadcasts one session may announce at once; 0 for no limit.",
            c -> c.limits().announcementsPerSession());
    public static final OptionSpec<Double> LIMITS_SUBSCRIBES_PER_SECOND = new OptionSpec<>("limits",
            "subscribes_per_second", ValueType.decimal(0, 1_000_000),
            "Sustained subscribes per second per session (bursts of the same size allowed); 0 for no limit.",
            c -> c.limits().subscribesPerSecond());
    public static final OptionSpec<Long> LIMITS_MAX_MESSAGE_SIZE = new OptionSpec<>("limits", "max_message_size",
            ValueType.size(64, 1L << 30), "Largest control message accepted.", c -> (long) c.maxMessageSize());
    public static final OptionSpec<Long> LIMITS_MAX_FRAME_SIZE = new OptionSpec<>("limits", "max_frame_size",
            ValueType.size(1, 1L << 30), "Largest frame accepted from a publisher.", c -> (long) c.maxFrameSize());

    public static final OptionSpec<Integer> SESSION_GROUPS_IN_FLIGHT = new OptionSpec<>("session", "groups_in_flight",
            ValueType.integer(1, 1024),
            "Group streams open per subscription before the oldest is reset as lagging.",
            RelayConfig::groupsInFlight);
    public static final OptionSpec<Duration> SESSION_TRACK_LINGER = new OptionSpec<>("session", "track_linger",
            ValueType.duration(Duration.ZERO, DAY), "How long an upstream subscription outlives its last subscriber.",
            RelayConfig::trackLinger);

    public static final OptionSpec<Boolean> ADMIN_ENABLED = new OptionSpec<>("admin", "enabled", ValueType.bool(),
            "Serve the admin HTTP endpoints (health, readiness, metrics, announced).", c -> c.admin().enabled());
    public static final OptionSpec<String> ADMIN_LISTEN = new OptionSpec<>("admin", "listen", HostPort.TYPE,
            "Admin listener address, host:port; keep it on loopback or a private network (no authentication).",
            c -> HostPort.format(c.admin().host(), c.admin().port()));
    public static final OptionSpec<Integer> ADMIN_BROADCAST_SERIES = new OptionSpec<>("admin", "broadcast_series",
            ValueType.integer(0, 10_000),
            "Broadcasts given their own per-path metric series; the rest are summed under path=\"_other\".",
            c -> c.admin().broadcastSeries());

    public static final OptionSpec<Path> AUTH_KEY = new OptionSpec<>("auth", "key", ValueType.optionalPath(),
            "JWK or JWK set file that verifies session tokens (?jwt=); unset with no public prefix allows everything.",
            c -> c.auth().key());
    public static final OptionSpec<List<String>> AUTH_PUBLIC_SUBSCRIBE = new OptionSpec<>("auth", "public_subscribe",
            ValueType.list("a list of path prefixes (\"\" is everything)", true, s -> null),
            "Prefixes anyone may discover and subscribe to without a token.", c -> c.auth().publicSubscribe());
    public static final OptionSpec<List<String>> AUTH_PUBLIC_PUBLISH = new OptionSpec<>("auth", "public_publish",
            ValueType.list("a list of path prefixes (\"\" is everything)", true, s -> null),
            "Prefixes anyone may publish under without a token.", c -> c.auth().publicPublish());
    public static final OptionSpec<List<String>> AUTH_ALLOWED_ORIGINS = new OptionSpec<>("auth", "allowed_origins",
            ValueType.list("a list of origins such as \"https://app.example.com\", or \"*\"", true,
                    Options::checkOrigin),
            "Origin header values accepted from browser sessions (WebTransport, WebSocket); empty accepts any.",
            c -> c.auth().allowedOrigins());

    public static final OptionSpec<Duration> SHUTDOWN_GRACE = new OptionSpec<>("shutdown", "grace",
            ValueType.duration(Duration.ZERO, Duration.ofHours(1)),
            "Time sessions get to end by themselves on SIGTERM before they are closed.",
            RelayConfig::shutdownGrace);
    public static final OptionSpec<URI> SHUTDOWN_GOAWAY_URI = new OptionSpec<>("shutdown", "goaway_uri",
            ValueType.optionalUri(), "Where sessions are told to reconnect (GOAWAY) on shutdown; unset for none.",
            RelayConfig::goawayUri);

    public static final OptionSpec<List<String>> CLUSTER_UPSTREAM = new OptionSpec<>("cluster", "upstream",
            ValueType.list("a list of relay URLs (moqt://host:port/ or ws://host:port/)", true, Options::checkLink),
            "Relays this relay dials and pulls broadcasts from (re-dialed with capped backoff).",
            c -> c.cluster().upstreams().stream().map(URI::toString).toList());
    public static final OptionSpec<List<String>> CLUSTER_PEERS = new OptionSpec<>("cluster", "peers",
            ValueType.list("a list of relay URLs (moqt://host:port/ or ws://host:port/)", true, Options::checkLink),
            "Relays this relay exchanges broadcasts with, both ways.",
            c -> c.cluster().peers().stream().map(URI::toString).toList());
    public static final OptionSpec<Boolean> CLUSTER_INSECURE = new OptionSpec<>("cluster", "insecure", ValueType.bool(),
            "Accept any certificate on links to other relays (development only).", c -> c.cluster().insecure());
    public static final OptionSpec<List<String>> CLUSTER_CERTIFICATE_SHA256 = new OptionSpec<>("cluster",
            "certificate_sha256", ValueType.list("a list of 64-digit hex SHA-256 hashes", true,
                    h -> h.matches("[0-9a-fA-F]{64}") ? null : "not a 64-digit hex hash"),
            "Accept link certificates with these SHA-256 hashes (in addition to the system trust store).",
            c -> c.cluster().certificateSha256());
    public static final OptionSpec<String> CLUSTER_TOKEN = new OptionSpec<>("cluster", "token", ValueType.optionalText(),
            "JWT presented on every link as ?jwt= (empty for none).",
            c -> c.cluster().token());

    /** Every option, in documentation and {@code --print-config} order. */
    public static final List<OptionSpec<?>> ALL = List.of(
            SERVER_HOST, SERVER_PORT, SERVER_HOSTNAMES, SERVER_EVENT_LOOPS, SERVER_IDLE_TIMEOUT,
            SERVER_HANDSHAKE_TIMEOUT, SERVER_PROTOCOLS, SERVER_WEBSOCKET,
            TLS_CERTIFICATE, TLS_PRIVATE_KEY,
            CACHE_MAX_GROUPS, CACHE_MAX_AGE, CACHE_MAX_BYTES, CACHE_MAX_BYTES_PER_TRACK,
            LIMITS_SESSIONS, LIMITS_SESSIONS_PER_ADDRESS, LIMITS_STREAMS_PER_SESSION,
            LIMITS_ANNOUNCEMENTS_PER_SESSION, LIMITS_SUBSCRIBES_PER_SECOND, LIMITS_MAX_MESSAGE_SIZE,
            LIMITS_MAX_FRAME_SIZE,
            SESSION_GROUPS_IN_FLIGHT, SESSION_TRACK_LINGER,
            ADMIN_ENABLED, ADMIN_LISTEN, ADMIN_BROADCAST_SERIES,
            AUTH_KEY, AUTH_PUBLIC_SUBSCRIBE, AUTH_PUBLIC_PUBLISH, AUTH_ALLOWED_ORIGINS,
            SHUTDOWN_GRACE, SHUTDOWN_GOAWAY_URI,
            CLUSTER_UPSTREAM, CLUSTER_PEERS, CLUSTER_INSECURE, CLUSTER_CERTIFICATE_SHA256, CLUSTER_TOKEN);

    private static final Map<String, OptionSpec<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (OptionSpec<?> o : ALL) {
            BY_NAME.put(o.name(), o);
        }
    }

    /** The option called {@code section.key}, or null. */
    public static OptionSpec<?> byName(String name) {
        return BY_NAME.get(name);
    }

    /** The sections, in order. */
    public static List<String> sections() {
        return ALL.stream().map(OptionSpec::section).distinct().toList();
    }

    /** Values by option; every option has one (null for unset optional ones). */
    public interface Values {
        <T> T get(OptionSpec<T> option);
    }

    /** Builds the config from one value per option. Throws IllegalArgumentException for inconsistent values. */
    static RelayConfig assemble(Values v) {
        HostPort admin = HostPort.parseUnchecked(v.get(ADMIN_LISTEN));
        return RelayConfig.defaults().toBuilder()
                .host(v.get(SERVER_HOST))
                .port(v.get(SERVER_PORT))
                .hostnames(v.get(SERVER_HOSTNAMES))
                .eventLoops(v.get(SERVER_EVENT_LOOPS))
                .idleTimeout(v.get(SERVER_IDLE_TIMEOUT))
                .handshakeTimeout(v.get(SERVER_HANDSHAKE_TIMEOUT))
                .protocols(v.get(SERVER_PROTOCOLS))
                .webSocket(v.get(SERVER_WEBSOCKET))
                .certificate(v.get(TLS_CERTIFICATE))
                .privateKey(v.get(TLS_PRIVATE_KEY))
                .cacheMaxGroups(v.get(CACHE_MAX_GROUPS))
                .cacheMaxAge(v.get(CACHE_MAX_AGE))
                .cacheMaxBytes(v.get(CACHE_MAX_BYTES))
                .cacheMaxBytesPerTrack(v.get(CACHE_MAX_BYTES_PER_TRACK))
                .limits(new RelayLimits(v.get(LIMITS_SESSIONS), v.get(LIMITS_SESSIONS_PER_ADDRESS),
                        v.get(LIMITS_STREAMS_PER_SESSION), v.get(LIMITS_ANNOUNCEMENTS_PER_SESSION),
                        v.get(LIMITS_SUBSCRIBES_PER_SECOND)))
                .maxMessageSize(Math.toIntExact(v.get(LIMITS_MAX_MESSAGE_SIZE)))
                .maxFrameSize(Math.toIntExact(v.get(LIMITS_MAX_FRAME_SIZE)))
                .groupsInFlight(v.get(SESSION_GROUPS_IN_FLIGHT))
                .trackLinger(v.get(SESSION_TRACK_LINGER))
                .admin(new AdminOptions(v.get(ADMIN_ENABLED), admin.host(), admin.port(),
                        v.get(ADMIN_BROADCAST_SERIES)))
                .auth(new AuthOptions(v.get(AUTH_KEY), v.get(AUTH_PUBLIC_SUBSCRIBE), v.get(AUTH_PUBLIC_PUBLISH),
                        v.get(AUTH_ALLOWED_ORIGINS)))
                .shutdownGrace(v.get(SHUTDOWN_GRACE))
                .goawayUri(v.get(SHUTDOWN_GOAWAY_URI))
                .cluster(new ClusterOptions(v.get(CLUSTER_UPSTREAM).stream().map(URI::create).toList(),
                        v.get(CLUSTER_PEERS).stream().map(URI::create).toList(), v.get(CLUSTER_INSECURE),
                        v.get(CLUSTER_CERTIFICATE_SHA256),
                        v.get(CLUSTER_TOKEN)))
                .build();
    }

    private static String checkLink(String s) {
        try {
            URI u = URI.create(s);
            if (u.getHost() == null || !List.of("moqt", "quic", "moq", "ws", "wss").contains(u.getScheme())) {
                return "not a relay URL (moqt://host:port/ or ws://host:port/)";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "not a URL";
        }
    }

    private static String checkOrigin(String s) {
        if (s.equals("*")) {
            return null;
        }
        try {
            URI u = new URI(s);
            if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty())) {
                return "not an origin (scheme://host[:port], no path): \"" + s + "\"";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "not an origin (scheme://host[:port]): \"" + s + "\"";
        }
    }
}
