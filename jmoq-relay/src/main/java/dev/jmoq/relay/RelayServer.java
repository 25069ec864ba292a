package dev.jmoq.relay;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.SessionAuthorizer;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.relay.admin.AdminServer;
import dev.jmoq.relay.admin.Readiness;
import dev.jmoq.relay.admin.DashboardSources;
import dev.jmoq.relay.admin.LinkInfo;
import dev.jmoq.relay.admin.RecentErrors;
import dev.jmoq.relay.admin.RelayMetrics;
import dev.jmoq.relay.admin.SessionInfo;
import dev.jmoq.relay.pages.RelayPages;
import dev.jmoq.relay.auth.KeyFormatException;
import dev.jmoq.relay.auth.SessionAuthorizers;
import dev.jmoq.relay.cluster.ClusterLink;
import dev.jmoq.relay.cluster.LinkKind;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.quic.QuicServer;
import dev.jmoq.transport.tls.CertificateStore;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.transport.webtransport.WebTransportServer;
import dev.jmoq.transport.websocket.WebSocketServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The relay server's lifecycle: binds the QUIC/WebTransport (UDP) and WebSocket/HTTP (TCP) listeners on
 * one port number and runs a session per connection over one shared {@link Origin}, through parts that
 * each do one job: {@link SessionAdmission} (limits, authorization, the session of the negotiated
 * protocol's family), {@link SessionRegistry}, {@link CertificateReloader}, {@link CacheSweeper},
 * {@link ClusterLinks} and {@link ShutdownDrain}.
 *
 * <p>Lifecycle: {@link #start()} may be called from many threads at once; the first starts the server
 * and the others wait for the same outcome. {@link #close()} and {@link #shutdown(Duration)} are
 * idempotent and safe from any thread; a closed server cannot be started again.
 */
public final class RelayServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("jmoq.relay");

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private final RelayConfig config;
    private final SessionAuthorizer authorizer;
    private final SessionFactory sessionFactory = SessionFactory.defaults();
    private final long originId = SessionConfig.randomOriginId();
    private final Origin origin = new Origin();
    private final SessionStats sessionStats = new SessionStats();
    private final EgressStats egressStats = new EgressStats();
    private final ByteBudget budget;
    private final Readiness readiness = new Readiness();
    private final RelayMetrics metrics;
    private final TransportStats transportStats = new TransportStats();
    private final CertificateReloader certificates;
    private final SessionRegistry sessions = new SessionRegistry();
    private final SessionAdmission admission;
    private final ClusterLinks links;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private State state = State.NEW;
    private volatile boolean hurry;
    private volatile SessionConfig sessionConfig;
    private volatile QuicServer quic;
    private volatile WebSocketServer webSocket;
    private volatile CacheSweeper sweeper;
    private volatile AdminServer admin;
    private volatile RelayPages pages;

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
        this.budget = new ByteBudget(config.cacheMaxBytes());
        this.metrics = new RelayMetrics(sessionStats, egressStats, budget, origin, config.admin().broadcastSeries());
        metrics.bindTransport(transportStats);
        this.authorizer = authorizer != null ? authorizer : configuredAuthorizer(config, metrics);
        this.certificates = new CertificateReloader(certificate, config.certificate(), config.privateKey(),
                config.hostnames());
        this.admission = new SessionAdmission(config.limits(), this.authorizer, sessionFactory, sessions, origin,
                sessionStats, egressStats, metrics, this::isClosed, config.handshakeTimeout(), transportStats);
        this.links = new ClusterLinks(config.cluster(), origin, sessionFactory, sessionStats, egressStats, readiness);
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

    /** Keep-alives, idle drops, handshake timeouts and stream-limit violations of the listeners. */
    public TransportStats transportStats() {
        return transportStats;
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

    /** The protocol families sessions are made by; its protocols are what the listeners may offer. */
    public SessionFactory sessionFactory() {
        return sessionFactory;
    }

    /** The admin listener's bound port; 0 when it is disabled or not started. */
    public int adminPort() {
        AdminServer a = admin;
        return a == null ? 0 : a.port();
    }

    /** The certificate new connections get; null before start. */
    public ServerCertificate certificate() {
        CertificateStore c = certificates.store();
        return c == null ? null : c.current();
    }

    /**
     * Reloads the certificate and key from the configured PEM files when they changed (size or
     * modification time). Established sessions keep their connection; new ones get the new certificate.
     * Called every second by the sweeper; returns true when a new certificate was loaded.
     */
    public boolean reloadCertificateIfChanged() {
        return certificates.reloadIfChanged();
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

    private boolean isClosed() {
        synchronized (this) {
            return state == State.CLOSED;
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

    private WebSocketServer startWebSocket(ServerOptions options, CertificateStore store, int port) {
        ServerOptions tcp = new ServerOptions(new InetSocketAddress(config.host(), port), store,
                config.protocols(), options.acceptor(), config.eventLoops(), config.idleTimeout().toMillis())
                .withBounds(options.handshakeTimeoutMillis(), options.maxStreams(), transportStats);
        try {
            return WebSocketServer.start(tcp, pages.publicHandler());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the TCP listener", e);
        }
    }

    private void doStart() {
        CertificateStore store = certificates.load();
        CacheConfig cache = new CacheConfig(config.cacheMaxGroups(), config.cacheMaxAge(), budget,
                config.cacheMaxBytesPerTrack(), CacheConfig.SYSTEM_CLOCK);
        SessionConfig sessionConfig = new SessionConfig(cache, config.maxMessageSize(), config.maxFrameSize(),
                config.groupsInFlight(), config.trackLinger(), true, originId,
                config.limits().announcementsPerSession(), config.limits().subscribesPerSecond());
        this.sessionConfig = sessionConfig;
        ServerOptions options = new ServerOptions(new InetSocketAddress(config.host(), config.port()), store,
                config.protocols(), connection -> admission.accept(connection, sessionConfig), config.eventLoops(),
                config.idleTimeout().toMillis()).withBounds(config.handshakeTimeout().toMillis(),
                config.limits().streamsPerSession(), transportStats);
        pages = RelayPages.start(config.auth(), new DashboardSources(origin, readiness, this::sessions,
                () -> links.list().stream().map(LinkInfo::of).toList(), sessionStats.bytesIn::sum,
                egressStats.bytesOut::sum, new RecentErrors().install(), this::port));
        if (config.webSocket()) {
            SamePort.Bound<QuicServer, WebSocketServer> both = SamePort.bind(config.port() == 0,
                    () -> QuicServer.start(options, new WebTransportServer()), QuicServer::port, QuicServer::close,
                    port -> startWebSocket(options, store, port));
            quic = both.udp();
            webSocket = both.tcp();
        } else {
            quic = QuicServer.start(options, new WebTransportServer());
        }
        sweeper = new CacheSweeper(origin, certificates);
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
                + " protocols=" + String.join(",", config.protocols()) + " certificate_sha256="
                + store.current().sha256Hex());
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
        }
        return links.link(uri, kind, sessionConfig);
    }

    /** Sessions currently open (clients and relays that dialed us). */
    public int sessionCount() {
        return sessions.size();
    }

    /** The open sessions (clients and relays that dialed us), as the dashboard shows them. */
    public List<SessionInfo> sessions() {
        return sessions.list().stream().map(SessionInfo::of).toList();
    }

    /** The links to other relays. */
    public List<ClusterLink> links() {
        return links.list();
    }

    /** This relay's identifier in announcement hop lists. */
    public long originId() {
        return originId;
    }

    /** Closes at once; cuts short a graceful shutdown under way. Idempotent; any thread. */
    @Override
    public void close() {
        hurry = true;
        shutdown(Duration.ZERO);
    }

    /**
     * Stops accepting, sends GOAWAY (with the configured redirect URI) to every session, closes every
     * session after up to {@code grace} for them to end by themselves, and releases the listeners.
     * Idempotent; any thread; later calls wait for the first to finish.
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
            CacheSweeper s = sweeper;
            if (s != null) {
                s.close();
            }
            links.closeLinks();
            String uri = config.goawayUri() == null ? "" : config.goawayUri().toString();
            new ShutdownDrain(sessions, uri, () -> hurry).run(grace);
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
            RelayPages p = pages;
            if (p != null) {
                p.close();
            }
            links.release();
            LOG.log(System.Logger.Level.INFO, "event=relay_stopped");
        } finally {
            closed.complete(null);
            if (!started.isDone()) {
                started.completeExceptionally(new IllegalStateException("closed before start finished"));
            }
        }
    }
}
