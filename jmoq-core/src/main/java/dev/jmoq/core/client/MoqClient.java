package dev.jmoq.core.client;

import dev.jmoq.core.model.Origin;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.transport.webtransport.WebTransportClient;
import dev.jmoq.transport.websocket.WebSocketClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Java MoQ client: dials a relay over raw QUIC ({@code moqt://host:port/path}), WebTransport
 * ({@code https://host:port/path}) or WebSocket ({@code ws://} or {@code wss://}), and runs the session
 * of the negotiated protocol's family ({@link SessionFactory}) on the connection.
 *
 * <p>Thread-safe. Owns its event loops (shared by all its sessions) until {@link #close()}.
 */
public final class MoqClient implements AutoCloseable {
    /** Protocols offered by default, most preferred first: every one the default families speak. */
    public static final List<String> DEFAULT_PROTOCOLS = SessionFactory.defaults().protocols();

    private final EventLoopGroup group;
    private final boolean insecure;
    private final List<byte[]> certificateSha256;
    private final List<String> protocols;
    private final SessionConfig sessionConfig;
    private final SessionFactory sessions;
    private final SessionStats stats = new SessionStats();
    private final EgressStats egressStats = new EgressStats();

    private final boolean shareUdpSockets;

    private MoqClient(int threads, boolean insecure, List<byte[]> certificateSha256, List<String> protocols,
            SessionConfig sessionConfig, SessionFactory sessions, boolean shareUdpSockets) {
        this.group = new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.insecure = insecure;
        this.certificateSha256 = List.copyOf(certificateSha256);
        this.protocols = List.copyOf(protocols);
        this.sessionConfig = sessionConfig;
        this.sessions = sessions;
        this.shareUdpSockets = shareUdpSockets;
    }

    /** A client on one event loop that verifies certificates against the system trust store. */
    public static MoqClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link MoqClient}. Not thread-safe. */
    public static final class Builder {
        private int threads = 1;
        private boolean insecure;
        private List<byte[]> hashes = List.of();
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private SessionConfig sessionConfig = SessionConfig.client();
        private SessionFactory sessions = SessionFactory.defaults();
        private boolean shareUdpSockets;

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Accept any server certificate (development only). */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /** Accept a server whose certificate has one of these SHA-256 hashes. */
        public Builder certificateSha256(List<byte[]> hashes) {
            this.hashes = hashes;
            return this;
        }

        public Builder protocols(List<String> protocols) {
            this.protocols = protocols;
            return this;
        }

        public Builder sessionConfig(SessionConfig config) {
            this.sessionConfig = config;
            return this;
        }

        /** The protocol families sessions are made by (default: {@link SessionFactory#defaults()}). */
        public Builder sessionFactory(SessionFactory factory) {
            this.sessions = factory;
            return this;
        }

        /**
         * Raw QUIC and WebTransport sessions on one event loop share one UDP socket (see
         * {@link ClientOptions#shareUdpSockets()}): for clients with many sessions, such as a load generator.
         */
        public Builder shareUdpSockets(boolean share) {
            this.shareUdpSockets = share;
            return this;
        }

        public MoqClient build() {
            return new MoqClient(threads, insecure, hashes, protocols, sessionConfig, sessions, shareUdpSockets);
        }
    }

    public EventLoopGroup eventLoops() {
        return group;
    }

    /** Dials {@code uri} and completes once the session is established. */
    public CompletableFuture<ClientSession> connect(URI uri) {
        ClientOptions options = new ClientOptions(group, protocols, insecure, certificateSha256, 10_000, shareUdpSockets);
        Future<MoqConnection> dial = switch (uri.getScheme()) {
            case "moqt", "quic", "moq" -> QuicClient.connect(uri, options);
            case "https" -> WebTransportClient.connect(uri, options);
            case "ws", "wss" -> WebSocketClient.connect(uri, options);
            default -> throw new IllegalArgumentException("unsupported scheme " + uri.getScheme()
                    + " (use moqt:// for raw QUIC, https:// for WebTransport, ws:// or wss:// for WebSocket)");
        };
        CompletableFuture<ClientSession> result = new CompletableFuture<>();
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            MoqConnection connection = dial.getNow();
            connections.add(connection);
            connection.closeFuture().addListener(c -> connections.remove(connection));
            connection.eventLoop().execute(() -> {
                Origin local = new Origin();
                // Each session is its own endpoint in hop lists, so two sessions of one client never
                // mistake each other's announcements for reflections of their own.
                SessionConfig perSession = sessionConfig.withOriginId(SessionConfig.randomOriginId());
                Session session;
                try {
                    session = sessions.create(new SessionContext(connection, perSession, new Origin(), local, true,
                            stats, egressStats, null));
                } catch (IllegalArgumentException e) {
                    connection.close(0, "no protocol family");
                    result.completeExceptionally(e);
                    return;
                }
                session.start();
                session.ready().whenComplete((v, err) -> {
                    if (err != null) {
                        result.completeExceptionally(err);
                    } else {
                        result.complete(new ClientSession(session, local, sessionConfig));
                    }
                });
            });
        });
        return result;
    }

    /**
     * Closes every session still open, waits (at most {@value #CLOSE_WAIT_MILLIS} ms in all) until each
     * connection has sent its close, then shuts the event loops down. Without the wait, a session closed just
     * before this call could lose its CONNECTION_CLOSE: shutting a loop down closes its sockets before it
     * runs the tasks still queued, and the relay would keep the session until its idle timeout.
     *
     * <p>Called on one of this client's own event loops (a session callback, a {@link #connect} stage
     * completed there), it closes that loop's connections at once, waits only for those of the other loops,
     * and returns without waiting for the loops to terminate: a loop cannot end while its thread waits.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (MoqConnection c : List.copyOf(connections)) {
            if (c.eventLoop().inEventLoop()) {
                c.close(0, "client closed"); // a task queued here would run only after the loop closed its sockets
            } else {
                c.eventLoop().execute(() -> c.close(0, "client closed"));
            }
        }
        for (MoqConnection c : List.copyOf(connections)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            if (!c.eventLoop().inEventLoop()) {
                c.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
            }
        }
        boolean onOwnLoop = false;
        for (io.netty.util.concurrent.EventExecutor e : group) {
            onOwnLoop |= e.inEventLoop();
        }
        io.netty.util.concurrent.Future<?> shutdown = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!onOwnLoop) {
            shutdown.syncUninterruptibly();
        }
    }

    /** Bound on {@link #close()}'s wait for connections to send their close. */
    static final long CLOSE_WAIT_MILLIS = 2_000;
    /** Connections dialed and not yet closed. */
    private final java.util.Set<MoqConnection> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
