package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.GroupIngest;
import dev.jmoq.core.session.Grant;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.PathGuard;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionLifecycle;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A moq-lite session (drafts 01 to 05) over any transport, acting for a relay or a client: the state the
 * roles share (connection, version, grant, lifecycle) and the connection's handler. The roles each have
 * a class: {@link LiteSetup} (version negotiation), {@link LiteSetupStream} (draft 05's SETUP streams),
 * {@link LiteControl} (bidi stream dispatch), {@link LiteDatagrams} (draft 05's datagrams in),
 * {@link LitePublisher} (serving announces and subscriptions), {@link LiteSubscriber} (consuming the
 * peer's announces, subscribing upstream) and {@link LiteGoaway}.
 *
 * <p>Both directions at once: it serves {@code serve}'s broadcasts to the peer and publishes the peer's
 * broadcasts into {@code publish} (a relay asks every peer for all its broadcasts at start; a client asks
 * when the application does). Paths on the wire are relative to the session's root.
 *
 * <p>Threading: everything runs on the connection's event loop; origin listeners and track requests
 * that arrive from other threads hop onto it. A malformed stream is reset with the protocol's code and
 * logged; only a malformed session stream or setup closes the session. Other sessions are never touched.
 */
final class LiteSession implements Session, ConnectionHandler {
    static final System.Logger LOG = SessionLifecycle.LOG;

    private final MoqConnection connection;
    private final EventLoop loop;
    private final SessionConfig config;
    private final boolean clientSide;
    private String root;
    private final Grant grant;
    private final SessionStats stats;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final CompletableFuture<Long> closed = new CompletableFuture<>();
    private final CompletableFuture<String> goaway = new CompletableFuture<>();
    private final LiteSetup setup;
    private final LiteControl control;
    private final LitePublisher publisher;
    private final LiteSubscriber subscriber;
    private final LiteGoaway goaways;
    private final LiteSetupStream setupStream;
    private final LiteDatagrams datagrams;
    /** Bidi streams the peer opened while a server waits for the client's SETUP (draft 05). */
    private List<BidiStream> beforeSetup;

    private LiteVersion version;
    private LiteFraming framing;
    private boolean isClosed;
    /** Counted in {@code sessionsOpened}: only such a session is counted closed, once. */
    private boolean counted;
    private final PathGuard paths;

    LiteSession(SessionContext context) {
        this.connection = context.connection();
        this.loop = connection.eventLoop();
        this.config = context.config();
        this.clientSide = context.clientSide();
        this.stats = context.stats();
        this.grant = context.effectiveGrant();
        this.root = grant.root();
        this.paths = new PathGuard(stats, connection.remoteAddress());
        this.setup = new LiteSetup(this);
        this.subscriber = new LiteSubscriber(this, context.publish());
        this.publisher = new LitePublisher(this, context.serve(), context.egressStats(), subscriber);
        this.goaways = new LiteGoaway(this);
        this.setupStream = new LiteSetupStream(this);
        this.datagrams = new LiteDatagrams(this, subscriber);
        this.control = new LiteControl(this, setup, publisher, goaways);
    }

    @Override
    public void start() {
        LiteVersion byAlpn = LiteVersion.fromAlpn(connection.protocol());
        if (byAlpn != null) {
            // Before taking streams: the peer may already have opened some, and they need the version.
            this.version = byAlpn;
            this.framing = new LiteFraming(byAlpn, datagramBinding());
        }
        connection.setHandler(this);
        connection.closeFuture().addListener(f -> loop.execute(() -> onClosed(-1, "closed")));
        if (!SessionLifecycle.armExpiry(grant, loop, () -> close(SessionError.UNAUTHORIZED, "token expired"))) {
            return;
        }
        if (byAlpn != null && byAlpn.hasSetupStream()) {
            setupStream.send();
            if (!clientSide) {
                beforeSetup = new ArrayList<>(); // the client's SETUP (its Path) comes first
                return;
            }
        }
        if (byAlpn != null) {
            established(byAlpn);
        } else if (clientSide) {
            setup.sendClientSetup();
        }
        // Server without a version: wait for the peer's CLIENT_SETUP stream.
    }

    /** The peer's draft 05 SETUP was read: a server starts the session and serves what waited for it. */
    void setupReceived() {
        List<BidiStream> waiting = beforeSetup;
        if (waiting == null) {
            return;
        }
        beforeSetup = null;
        established(version);
        for (BidiStream s : waiting) {
            control.accept(s);
        }
    }

    /** A client's SETUP Path (draft 05, raw QUIC) roots the session under the grant's root. */
    void reroot(String path) {
        this.root = dev.jmoq.core.model.Paths.join(grant.root(), path);
    }

    /** The version is known: the session is usable. */
    void established(LiteVersion v) {
        if (isClosed || ready.isDone()) {
            return; // a SETUP that arrived after the session ended (or a second one) opens nothing
        }
        this.version = v;
        this.framing = new LiteFraming(v, datagramBinding());
        counted = true;
        stats.sessionsOpened.increment();
        LOG.log(System.Logger.Level.INFO, () -> "event=session_ready transport=" + connection.kind().label()
                + " version=" + LiteFamily.versionName(v) + " root=" + root + " remote=" + connection.remoteAddress());
        if (config.relay()) {
            subscriber.requestAnnounces("", null);
        }
        ready.complete(LiteFamily.versionName(v));
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
        LiteVersion v = version;
        return v == null || !ready.isDone() ? null : LiteFamily.versionName(v);
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
        return goaways.send(uri);
    }

    @Override
    public void announced(String prefix, BiConsumer<String, Boolean> listener) {
        subscriber.requestAnnounces(prefix, a -> listener.accept(a.suffix(), a.active()));
    }

    @Override
    public void subscribe(String path, Track into) {
        subscriber.subscribeRemote(path, into);
    }

    // ---- streams the peer opens --------------------------------------------------------------

    @Override
    public void onBidiStream(BidiStream stream) {
        if (isClosed) {
            stream.reset(LiteErrorCode.CLOSED);
            return;
        }
        if (beforeSetup != null) {
            beforeSetup.add(stream);
            return;
        }
        control.accept(stream);
    }

    @Override
    public void onUniStream(RecvStream stream) {
        if (isClosed || version == null) {
            stream.stopSending(LiteErrorCode.CLOSED);
            return;
        }
        LiteUniStreams.accept(this, stream);
    }

    /** A datagram from the peer (draft 05: a one-frame group of one of our subscriptions); takes ownership. */
    @Override
    public void onDatagram(io.netty.buffer.ByteBuf datagram) {
        datagrams.onDatagram(datagram);
    }

    /** Reads a group stream whose type was read: frames into the subscription's track. */
    GroupIngest ingest(RecvStream stream) {
        return new GroupIngest(stream, loop, new LiteGroupDecoder(version, config.maxFrameSize()).typed(),
                LiteErrors::code, subscriber::route, stats);
    }

    @Override
    public void onClosed(long code, String reason) {
        if (isClosed) {
            return;
        }
        isClosed = true;
        if (beforeSetup != null) {
            for (BidiStream s : beforeSetup) {
                s.reset(LiteErrorCode.CLOSED);
            }
            beforeSetup = null;
        }
        SessionLifecycle.logClosed(code, reason, connection.remoteAddress());
        publisher.closeAll();
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
        close(LiteErrors.code(error), reason);
    }

    /** Closes the session with a moq-lite code. Any thread; idempotent. */
    void close(long code, String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(code, reason));
            return;
        }
        connection.close(code, reason);
        onClosed(code, reason);
    }

    void protocolError(String where, ProtocolException e) {
        SessionLifecycle.protocolError(stats, where, e, connection.remoteAddress());
    }

    /** The peer's GOAWAY arrived. */
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

    /** The check of every path the peer sends. */
    PathGuard paths() {
        return paths;
    }

    SessionStats stats() {
        return stats;
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

    /** The negotiated version, or null before setup. */
    LiteVersion version() {
        return version;
    }

    LiteSetupStream setupStream() {
        return setupStream;
    }

    /** Raw QUIC and WebTransport carry moq-lite datagrams; the Qmux bindings (WebSocket) must not (draft 05). */
    private boolean datagramBinding() {
        return connection.kind() != dev.jmoq.transport.TransportKind.WEBSOCKET;
    }

    /** The group framing of the negotiated version; null before setup. */
    LiteFraming framing() {
        return framing;
    }
}
