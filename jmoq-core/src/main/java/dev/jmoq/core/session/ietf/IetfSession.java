package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.Grant;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionAuthorizer;
import dev.jmoq.core.session.SessionLifecycle;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.core.session.StreamRanking;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.AuthorizationToken;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.SetupOption;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * An IETF moq-transport session (drafts 14-20) over any transport, for a relay or a client: the state
 * the roles share (connection, draft, grant, lifecycle) and the connection's handler. The roles each
 * have a class: {@link IetfSetup}, {@link IetfControl} (dispatch for the draft's stream layout),
 * {@link IetfPublisher} (subscriptions and fetches served), {@link IetfNamespaces} (our namespaces),
 * {@link IetfSubscriber} (the peer's) and {@link UniStreams} (data and control uni streams).
 *
 * <p>Both directions at once, as {@code LiteSession}: it serves {@code serve}'s broadcasts to the peer
 * (SUBSCRIBE, SUBSCRIBE_NAMESPACE; a client also announces its own with PUBLISH_NAMESPACE) and publishes
 * the peer's PUBLISH_NAMESPACEs into {@code publish}. Namespace tuples are paths relative to the root.
 *
 * <p>Threading: everything runs on the connection's event loop. A malformed message or data stream closes
 * this session with the draft's code (PROTOCOL_VIOLATION, INVALID_REQUEST_ID, TOO_MANY_REQUESTS, ...);
 * other sessions are never touched.
 */
final class IetfSession implements Session, ConnectionHandler {
    static final System.Logger LOG = SessionLifecycle.LOG;

    private final MoqConnection connection;
    private final EventLoop loop;
    private final SessionConfig config;
    private final boolean clientSide;
    private String root;
    /** What the peer may do; replaced once by a token from its setup ({@link #authorizeSetup}). */
    private Grant grant;
    private SessionContext.SetupToken setupToken;
    private final SessionStats stats;
    private final IetfVersion version;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final CompletableFuture<Long> closed = new CompletableFuture<>();
    private final CompletableFuture<String> goaway = new CompletableFuture<>();
    private final RequestIds requestIds;
    private final IetfSetup setup;
    private final IetfSubscriber subscriber;
    private final IetfPublisher publisher;
    private final IetfNamespaces namespaces;
    private final IetfPushes pushes;
    private final IetfTrackOffers offers;
    private final IetfControl control;
    private final IetfDatagrams datagrams;
    private final StreamRanking ranking = new StreamRanking();
    private boolean isClosed;
    /** Counted in {@code sessionsOpened}: only such a session is counted closed, once. */
    private boolean counted;

    IetfSession(SessionContext context, IetfVersion version) {
        this.connection = context.connection();
        this.loop = connection.eventLoop();
        this.config = context.config();
        this.clientSide = context.clientSide();
        this.stats = context.stats();
        this.grant = context.effectiveGrant();
        this.root = grant.root();
        this.setupToken = context.setupToken();
        this.version = version;
        this.requestIds = new RequestIds(clientSide, version.hasRequestFlowControl());
        this.subscriber = new IetfSubscriber(this, context.publish());
        this.publisher = new IetfPublisher(this, context.serve(), context.egressStats(), subscriber);
        this.namespaces = new IetfNamespaces(this, context.serve(), subscriber);
        this.pushes = new IetfPushes(this, publisher, context.egressStats());
        this.offers = new IetfTrackOffers(this, context.serve(), subscriber, pushes);
        this.control = new IetfControl(this, publisher, subscriber, namespaces, offers);
        this.setup = new IetfSetup(this, control);
        this.datagrams = new IetfDatagrams(this, subscriber, System::nanoTime);
        control.setup(setup);
        subscriber.control(control);
        publisher.control(control);
        namespaces.control(control);
        pushes.control(control);
        offers.control(control);
    }

    @Override
    public void start() {
        connection.setHandler(this);
        connection.closeFuture().addListener(f -> loop.execute(() -> onClosed(-1, "closed")));
        if (!armExpiry()) {
            return;
        }
        setup.start();
    }

    /** Closes the session when the grant's token expires; false when it already has. */
    private boolean armExpiry() {
        return SessionLifecycle.armExpiry(grant, loop, () -> close(SessionError.UNAUTHORIZED, "token expired"));
    }

    /**
     * Relay side, the peer's CLIENT_SETUP / SETUP {@code options} arrived: when the connection brought no
     * token, its AUTHORIZATION_TOKEN (drafts 14-20, "AUTHORIZATION_TOKEN"; REGISTER or USE_VALUE) is
     * checked by the relay's authorizer and its grant applies from here on, before the session is
     * established (no request is served before). No token (asked as null), another alias type, or a refused token close
     * the session with UNAUTHORIZED (0x2); a malformed one with MALFORMED_AUTH_TOKEN. False when closed.
     */
    boolean authorizeSetup(Parameters options) throws ProtocolException {
        if (setupToken == null) {
            return true;
        }
        SessionContext.SetupToken check = setupToken;
        setupToken = null;
        java.util.Optional<Octets> raw = options.octets(SetupOption.AUTHORIZATION_TOKEN);
        AuthorizationToken token = raw.isEmpty() ? null : AuthorizationToken.decode(raw.get(), version);
        String why;
        if (token != null && !token.hasValue()) {
            why = "setup token alias type " + token.aliasType() + " names no token";
        } else {
            try {
                // No token at all: the authorizer refuses (and counts) it as it would have without setup.
                grant = check.authorize(token == null ? null : token.value().utf8());
                root = grant.root();
                return armExpiry();
            } catch (SessionAuthorizer.Refused e) {
                why = e.getMessage();
            }
        }
        stats.unauthorized.increment();
        LOG.log(System.Logger.Level.INFO, "event=session_refused reason=\"" + why.replace('"', '\'') + "\" remote="
                + connection.remoteAddress());
        close(IetfErrorCode.UNAUTHORIZED.code(), "unauthorized");
        return false;
    }

    /** Both SETUPs are done: the session is usable. */
    void established() {
        if (isClosed || ready.isDone()) {
            return;
        }
        counted = true;
        stats.sessionsOpened.increment();
        LOG.log(System.Logger.Level.INFO, () -> "event=session_ready transport=" + connection.kind().label()
                + " version=" + version + " protocol=" + connection.protocol() + " root=" + root
                + " remote=" + connection.remoteAddress());
        ready.complete(connection.protocol());
        namespaces.established();
    }

    boolean isEstablished() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    @Override
    public MoqConnection connection() {
        return connection;
    }

    @Override
    public String root() {
        return root;
    }

    @Override
    public String protocol() {
        return isEstablished() ? connection.protocol() : null;
    }

    @Override
    public CompletableFuture<String> ready() {
        return ready;
    }

    @Override
    public CompletableFuture<String> goawayReceived() {
        return goaway;
    }

    @Override
    public CompletableFuture<Long> closed() {
        return closed;
    }

    @Override
    public boolean goaway(String uri) {
        loop.execute(() -> {
            if (!isClosed && isEstablished()) {
                control.sendGoaway(uri == null ? "" : uri);
            }
        });
        return true;
    }

    @Override
    public void announced(String prefix, BiConsumer<String, Boolean> listener) {
        subscriber.announced(prefix, listener);
    }

    /** Publisher-initiated PUBLISH of {@code track} ({@link IetfPushes}). */
    @Override
    public CompletableFuture<Void> publishTrack(String path, Track track) {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        if (isClosed || !isEstablished()) {
            accepted.completeExceptionally(new IllegalStateException("session not established"));
        } else {
            pushes.publish(path, track, accepted);
        }
        return accepted;
    }

    @Override
    public void subscribe(String path, Track into) {
        subscriber.subscribeRemote(path, into);
    }

    // ---- streams the peer opens --------------------------------------------------------------

    @Override
    public void onBidiStream(BidiStream stream) {
        if (isClosed) {
            stream.reset(IetfErrors.streamCode(SessionError.CLOSED, version));
            return;
        }
        control.acceptBidi(stream);
    }

    @Override
    public void onUniStream(RecvStream stream) {
        if (isClosed) {
            stream.stopSending(IetfErrors.streamCode(SessionError.CLOSED, version));
            return;
        }
        UniStreams.accept(this, stream, setup, subscriber);
    }

    /** An OBJECT_DATAGRAM (or padding, or garbage): see {@link IetfDatagrams}. */
    @Override
    public void onDatagram(ByteBuf datagram) {
        if (isClosed || !isEstablished()) {
            datagram.release();
            return;
        }
        datagrams.onDatagram(datagram);
    }

    @Override
    public void onClosed(long code, String reason) {
        if (isClosed) {
            return;
        }
        isClosed = true;
        SessionLifecycle.logClosed(code, reason, connection.remoteAddress());
        publisher.closeAll();
        offers.closeAll();
        pushes.closeAll();
        namespaces.closeAll();
        datagrams.closeAll();
        subscriber.closeAll();
        if (counted) {
            stats.sessionsClosed.increment(); // refused in SETUP or timed out before it: never counted open
        }
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException("session closed before setup: " + reason));
        }
        closed.complete(code);
    }

    @Override
    public void close(SessionError error, String reason) {
        close(IetfErrors.sessionCode(error, version), reason);
    }

    /** Closes the session with a session termination code. Any thread; idempotent. */
    void close(long code, String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(code, reason));
            return;
        }
        if (isClosed) {
            return;
        }
        connection.close(code, reason);
        onClosed(code, reason);
    }

    /** Logs and counts a protocol error (the caller decides what it ends). */
    void protocolError(String where, ProtocolException e) {
        SessionLifecycle.protocolError(stats, where, e, connection.remoteAddress());
    }

    /** A protocol error that ends the session (the drafts make every malformed message one). */
    void fatal(String where, ProtocolException e) {
        protocolError(where, e);
        close(e.code(), e.getMessage());
    }

    /** A protocol violation of our own finding. */
    void violation(String where, String why) {
        fatal(where, new ProtocolException(IetfErrorCode.PROTOCOL_VIOLATION.code(), why, true));
    }

    void goawayReceived(String uri) {
        goaway.complete(uri);
    }

    // ---- what the roles share ----------------------------------------------------------------

    EventLoop loop() {
        return loop;
    }

    SessionConfig config() {
        return config;
    }

    SessionStats stats() {
        return stats;
    }

    /** The urgencies of this session's subscriptions and fetch answers ({@link StreamRanking}; this loop only). */
    StreamRanking ranking() {
        return ranking;
    }

    Grant grant() {
        return grant;
    }

    boolean clientSide() {
        return clientSide;
    }

    boolean isClosed() {
        return isClosed;
    }

    java.net.SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    IetfVersion version() {
        return version;
    }

    RequestIds requestIds() {
        return requestIds;
    }
}
