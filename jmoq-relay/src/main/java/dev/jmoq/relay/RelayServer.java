package dev.jmoq.relay;

import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.relay.cluster.ClusterLink;
import dev.jmoq.relay.cluster.ClusterOptions;
import dev.jmoq.relay.cluster.LinkKind;
import dev.jmoq.transport.ClientOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.util.List;
import dev.jmoq.core.session.Grant;
import dev.jmoq.core.session.SessionAuthorizer;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.core.session.LiteSession;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.relay.admin.AdminServer;
import dev.jmoq.relay.admin.LimitKind;
import dev.jmoq.relay.admin.Readiness;
import dev.jmoq.relay.admin.RelayMetrics;
import dev.jmoq.relay.auth.KeyFormatException;
import dev.jmoq.relay.auth.SessionAuthorizers;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.quic.QuicServer;
import dev.jmoq.transport.webtransport.WebTransportServer;
import dev.jmoq.transport.tls.CertificateStore;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.transport.websocket.WebSocketServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The relay server: binds the QUIC/WebTransport (UDP) and WebSocket/HTTP (TCP) listeners on one port
 * number, runs a moq-lite session per connection over one shared {@link Origin}, and sweeps the group
 * caches by age once a second.
 *
 * <p>Lifecycle: {@link #start()} may be called from many threads at once; the first starts the server
 * and the others wait for the same outcome. {@link #close()} and {@link #shutdown(Duration)} are
 * idempotent and safe from any thread; a closed server cannot be started again.
 */
public final class RelayServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("jmoq.relay");

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private final RelayConfig config;
    private final ServerCertificate suppliedCertificate;
    private final SessionAuthorizer authorizer;
    private final long originId = SessionConfig.randomOriginId();
    private final List<ClusterLink> links = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Readiness.Check> linkChecks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile SessionConfig sessionConfig;
    private volatile boolean hurry;
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> perAddress = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long lastLimitLog;
    private final java.util.Set<LiteSession> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile EventLoopGroup linkGroup;
    private final Origin origin = new Origin();
    private final SessionStats sessionStats = new SessionStats();
    private final EgressStats egressStats = new EgressStats();
    private final ByteBudget budget;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private State state = State.NEW;
    private volatile CertificateStore certificates;
    private volatile String certificateStamp = "";
    private volatile QuicServer quic;
    private volatile WebSocketServer webSocket;
    private volatile ScheduledExecutorService sweeper;
    private final Readiness readiness = new Readiness();
    private final RelayMetrics metrics;
    private volatile AdminServer admin;
    private volatile dev.jmoq.relay.pages.RelayPages pages;

    /** A relay with {@code config}; the certificate comes from the configured PEM files or is generated. */
    public RelayServer(RelayConfig config) {
        this(config, null);
    }

    /** A relay with {@code config} and a certificate given in code (taking precedence over the config's files). */
    public RelayServer(RelayConfig config, ServerCertificate certificate) {
        this(config, certificate, null);
    }

    /**
     * A relay with {@code config}, an optional certificate given in code, and the authorizer that decides
     * what each session may publish and subscribe to; null builds it from {@code config.auth()} (key
     * file, public prefixes, origin allow-list; with none of them everything is allowed), its refusals
     * counted in {@link #metrics()}.
     *
     * @throws IllegalArgumentException the configured auth key cannot be loaded
     */
    public RelayServer(RelayConfig config, ServerCertificate certificate, SessionAuthorizer authorizer) {
        this.config = config;
        this.suppliedCertificate = certificate;
        this.budget = new ByteBudget(config.cacheMaxBytes());
        this.metrics = new RelayMetrics(sessionStats, egressStats, budget, origin, config.admin().broadcastSeries());
        this.authorizer = authorizer != null ? authorizer : configuredAuthorizer(config, metrics);
    }

    private static SessionAuthorizer configuredAuthorizer(RelayConfig config, RelayMetrics metrics) {
        try {
            return SessionAuthorizers.fromConfig(config.auth(), metrics);
        } catch (IOException | KeyFormatException e) {
            throw new IllegalArgumentException("auth.key: cannot load " + config.auth().key() + ": " + e.getMessage(), e);
        }
    }

    public RelayConfig config() {
        return config;
    }

    public Origin origin() {
        return origin;
    }

    public SessionStats sessionStats() {
        return sessionStats;
    }

    public EgressStats egressStats() {
        return egressStats;
    }

    public ByteBudget cacheBudget() {
        return budget;
    }

    /** The metrics registry behind {@code /metrics}; others may record into its counters and timers. */
    public RelayMetrics metrics() {
        return metrics;
    }

    /** The readiness registry behind {@code /health/ready}; draining is set when shutdown begins. */
    public Readiness readiness() {
        return readiness;
    }

    /** The session authorizer in use. */
    public SessionAuthorizer authorizer() {
        return authorizer;
    }

    /** The admin listener's bound port; 0 when it is disabled or not started. */
    public int adminPort() {
        AdminServer a = admin;
        return a == null ? 0 : a.port();
    }

    /** The certificate new connections get; null before start. */
    public ServerCertificate certificate() {
        CertificateStore c = certificates;
        return c == null ? null : c.current();
    }

    /**
     * Reloads the certificate and key from the configured PEM files when they changed (size or
     * modification time). Established sessions keep their connection; new ones get the new certificate.
     * Called every second by the sweeper; returns true when a new certificate was loaded.
     */
    public boolean reloadCertificateIfChanged() {
        if (suppliedCertificate != null || config.certificate() == null || certificates == null) {
            return false;
        }
        String now = stamp(config.certificate(), config.privateKey());
        if (now.equals(certificateStamp)) {
            return false;
        }
        try {
            ServerCertificate next = ServerCertificate.fromPem(config.certificate(), config.privateKey());
            certificates.replace(next);
            certificateStamp = now;
            LOG.log(System.Logger.Level.INFO, "event=certificate_reloaded certificate_sha256=" + next.sha256Hex());
            return true;
        } catch (IOException | RuntimeException e) {
            // A half-written pair (certificate before key) fails here; the next tick retries.
            LOG.log(System.Logger.Level.WARNING, "event=certificate_reload_failed reason=\"" + e.getMessage() + "\"");
            return false;
        }
    }

    private static String stamp(java.nio.file.Path cert, java.nio.file.Path key) {
        try {
            return java.nio.file.Files.getLastModifiedTime(cert).toMillis() + ":" + java.nio.file.Files.size(cert) + ":"
                    + java.nio.file.Files.getLastModifiedTime(key).toMillis() + ":" + java.nio.file.Files.size(key);
        } catch (IOException e) {
            return "missing";
        }
    }

    /** The bound port (UDP, and the same number on TCP); 0 before start. */
    public int port() {
        QuicServer q = quic;
        return q == null ? 0 : q.port();
    }

    public boolean isRunning() {
        synchronized (this) {
            return state == State.RUNNING;
        }
    }

    /** Starts the listeners; returns when they are bound. Concurrent calls share one start. */
    public RelayServer start() {
        boolean mine;
        synchronized (this) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("relay server is closed");
            }
            mine = state == State.NEW;
            if (mine) {
                state = State.STARTING;
            }
        }
        if (mine) {
            try {
                doStart();
                synchronized (this) {
                    if (state == State.STARTING) {
                        state = State.RUNNING;
                    }
                }
                started.complete(null);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
                close();
                throw e;
            }
        } else {
            started.join();
        }
        return this;
    }

    private void doStart() {
        ServerCertificate cert = suppliedCertificate;
        if (cert == null && config.certificate() != null) {
            try {
                cert = ServerCertificate.fromPem(config.certificate(), config.privateKey());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load TLS certificate: " + e.getMessage(), e);
            }
        }
        if (cert == null) {
            cert = ServerCertificate.selfSigned(config.hostnames());
        }
        certificates = new CertificateStore(cert);
        if (suppliedCertificate == null && config.certificate() != null) {
            certificateStamp = stamp(config.certificate(), config.privateKey());
        }
        CacheConfig cache = new CacheConfig(config.cacheMaxGroups(), config.cacheMaxAge(), budget);
        SessionConfig sessionConfig = new SessionConfig(cache, config.maxMessageSize(), config.maxFrameSize(),
                config.groupsInFlight(), config.trackLinger(), true, originId,
                config.limits().announcementsPerSession(), config.limits().subscribesPerSecond());
        this.sessionConfig = sessionConfig;
        ServerOptions options = new ServerOptions(new InetSocketAddress(config.host(), config.port()), certificates,
                config.protocols(), connection -> accept(connection, sessionConfig), config.eventLoops(),
                config.idleTimeout().toMillis());
        pages = dev.jmoq.relay.pages.RelayPages.start(config.auth(), new dev.jmoq.relay.admin.DashboardSources(origin,
                readiness, this::sessions, () -> links.stream().map(dev.jmoq.relay.admin.LinkInfo::of).toList(),
                sessionStats.bytesIn::sum, egressStats.bytesOut::sum, new dev.jmoq.relay.admin.RecentErrors().install(),
                this::port));
        quic = QuicServer.start(options, new WebTransportServer());
        if (config.webSocket()) {
            ServerOptions tcp = new ServerOptions(new InetSocketAddress(config.host(), quic.port()), certificates,
                    config.protocols(), options.acceptor(), config.eventLoops(), config.idleTimeout().toMillis());
            try {
                webSocket = WebSocketServer.start(tcp, pages.publicHandler());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding the TCP listener", e);
            }
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jmoq-cache-sweeper");
            t.setDaemon(true);
            return t;
        });
        s.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        sweeper = s;
        if (config.admin().enabled()) {
            admin = AdminServer.start(config.admin(), metrics, readiness, origin, pages.adminHandler());
        }
        for (URI u : config.cluster().upstreams()) {
            link(u, LinkKind.UPSTREAM);
        }
        for (URI u : config.cluster().peers()) {
            link(u, LinkKind.PEER);
        }
        LOG.log(System.Logger.Level.INFO, "event=relay_started host=" + config.host() + " port=" + port()
                + " protocols=" + String.join(",", config.protocols()) + " certificate_sha256=" + cert.sha256Hex());
    }

    private void refuseForLimit(MoqConnection connection, LimitKind kind, int max, String address) {
        metrics.limitViolated(kind);
        long now = System.nanoTime();
        if (now - lastLimitLog > 1_000_000_000L) { // one line a second at most, however hard it is hit
            lastLimitLog = now;
            LOG.log(System.Logger.Level.WARNING, "event=limit_exceeded limit=" + kind.name().toLowerCase() + " max=" + max
                    + " address=" + address + " transport=" + connection.kind().label());
        }
        connection.close(LiteErrorCode.BOUNDS_EXCEEDED, "too many sessions");
    }

    /**
     * Adds a link to another relay (started at once, re-dialed until this server closes). An upstream link
     * that is down makes the relay not ready (/health/ready).
     */
    public ClusterLink link(URI uri, LinkKind kind) {
        synchronized (this) {
            if (state != State.RUNNING && state != State.STARTING) {
                throw new IllegalStateException("relay server is not running");
            }
            if (linkGroup == null) {
                linkGroup = new MultiThreadIoEventLoopGroup(1,
                        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            }
        }
        ClusterOptions cluster = config.cluster();
        ClientOptions options = new ClientOptions(linkGroup, List.of("moq-lite-04"), cluster.insecure(),
                cluster.certificateHashes(), 10_000);
        URI dial = uri;
        if (cluster.token() != null && !cluster.token().isEmpty()) {
            dial = URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "jwt=" + cluster.token());
        }
        ClusterLink l = new ClusterLink(dial, kind, origin, sessionConfig, options, sessionStats, egressStats,
                Duration.ofMillis(200), Duration.ofSeconds(10));
        links.add(l);
        if (kind == LinkKind.UPSTREAM) {
            Readiness.Check check = readiness.register("upstream " + uri, false);
            linkChecks.add(check);
            l.onStateChange(up -> {
                if (up) {
                    check.ready();
                } else {
                    check.notReady("link to " + uri + " is down");
                }
            });
        }
        return l.start();
    }

    /** Sessions currently open (clients and relays that dialed us). */
    public int sessionCount() {
        return sessions.size();
    }

    /** The open sessions (clients and relays that dialed us), as the dashboard shows them. */
    public List<dev.jmoq.relay.admin.SessionInfo> sessions() {
        return sessions.stream().map(dev.jmoq.relay.admin.SessionInfo::of).toList();
    }

    /** The links to other relays. */
    public List<ClusterLink> links() {
        return List.copyOf(links);
    }

    /** This relay's identifier in announcement hop lists. */
    public long originId() {
        return originId;
    }

    private void accept(MoqConnection connection, SessionConfig sessionConfig) {
        synchronized (this) {
            if (state == State.CLOSED) {
                connection.close(LiteErrorCode.CLOSED, "relay shutting down");
                return;
            }
        }
        String address = connection.remoteAddress() instanceof java.net.InetSocketAddress isa
                ? isa.getAddress().getHostAddress() : String.valueOf(connection.remoteAddress());
        RelayLimits limits = config.limits();
        if (RelayLimits.capped(limits.sessions()) && sessions.size() >= limits.sessions()) {
            refuseForLimit(connection, LimitKind.SESSIONS, limits.sessions(), address);
            return;
        }
        if (RelayLimits.capped(limits.sessionsPerAddress())
                && perAddress.getOrDefault(address, 0) >= limits.sessionsPerAddress()) {
            refuseForLimit(connection, LimitKind.SESSIONS_PER_ADDRESS, limits.sessionsPerAddress(), address);
            return;
        }
        Grant grant;
        try {
            grant = authorizer.authorize(connection);
        } catch (SessionAuthorizer.Refused e) {
            sessionStats.sessionsRefused.increment();
            LOG.log(System.Logger.Level.INFO, "event=session_refused reason=\"" + e.getMessage() + "\" transport="
                    + connection.kind().label() + " remote=" + connection.remoteAddress());
            connection.close(LiteErrorCode.UNAUTHORIZED, "unauthorized");
            return;
        }
        LiteSession session = new LiteSession(connection, sessionConfig, origin, origin, false, sessionStats,
                egressStats, grant);
        sessions.add(session);
        perAddress.merge(address, 1, Integer::sum);
        session.closed().whenComplete((code, err) -> {
            sessions.remove(session);
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        });
        session.start();
    }

    private void sweep() {
        reloadCertificateIfChanged();
        long now = System.nanoTime();
        try {
            for (Broadcast b : origin.list("")) {
                for (Track t : b.tracks()) {
                    t.sweep(now);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=cache_sweep_failed error=\"" + e + "\"");
        }
    }

    /** Closes at once; cuts short a graceful shutdown under way. Idempotent; any thread. */
    @Override
    public void close() {
        hurry = true;
        shutdown(Duration.ZERO);
    }

    /**
     * Sends GOAWAY (with the configured redirect URI) to every session, then waits up to {@code grace} for
     * the sessions to end by themselves. New sessions are refused meanwhile.
     */
    private void drain(Duration grace) {
        if (grace.isZero() || sessions.isEmpty()) {
            return;
        }
        String uri = config.goawayUri() == null ? "" : config.goawayUri().toString();
        for (LiteSession session : sessions) {
            session.goaway(uri);
        }
        LOG.log(System.Logger.Level.INFO, "event=relay_draining sessions=" + sessions.size() + " grace_ms=" + grace.toMillis());
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sessions.isEmpty() && !hurry && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops accepting, closes every session (after up to {@code grace} for them to end by themselves)
     * and releases the listeners. Idempotent; any thread; later calls wait for the first to finish.
     */
    public void shutdown(Duration grace) {
        boolean mine;
        synchronized (this) {
            mine = state != State.CLOSED;
            state = State.CLOSED;
        }
        if (!mine) {
            closed.join();
            return;
        }
        readiness.setDraining(true);
        try {
            ScheduledExecutorService s = sweeper;
            if (s != null) {
                s.shutdownNow();
            }
            for (ClusterLink l : links) {
                l.close();
            }
            drain(grace);
            // Close every session left with a code, so peers learn at once rather than at their idle timeout.
            for (LiteSession session : sessions) {
                session.close(0, "relay shutting down");
            }
            if (!sessions.isEmpty()) {
                try {
                    Thread.sleep(100); // let the CONNECTION_CLOSE frames leave before the sockets do
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Readiness.Check c : linkChecks) {
                c.close();
            }
            WebSocketServer ws = webSocket;
            if (ws != null) {
                ws.close();
            }
            QuicServer q = quic;
            if (q != null) {
                q.close();
            }
            for (Broadcast b : origin.list("")) {
                b.close();
            }
            AdminServer a = admin;
            if (a != null) {
                a.close();
            }
            dev.jmoq.relay.pages.RelayPages p = pages;
            if (p != null) {
                p.close();
            }
            EventLoopGroup lg = linkGroup;
            if (lg != null) {
                lg.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            LOG.log(System.Logger.Level.INFO, "event=relay_stopped");
        } finally {
            closed.complete(null);
            if (!started.isDone()) {
                started.completeExceptionally(new IllegalStateException("closed before start finished"));
            }
        }
    }
}
