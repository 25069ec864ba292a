package dev.jmoq.relay.cluster;

import dev.jmoq.core.model.Origin;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.transport.websocket.WebSocketClient;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One link from this relay to another: dials it as a MoQ client, runs a relay session over the
 * connection (publishing the remote's broadcasts into our origin, and for peers offering ours), and when
 * the link drops re-dials with capped exponential backoff and jitter until closed.
 *
 * <p>When the link drops, the broadcasts learned through it are withdrawn (their tracks end for local
 * subscribers, or the origin falls back to another route); when it returns they are announced again.
 * Nothing is carried across reconnects.
 *
 * <p>Threading: all state lives on one event loop; {@link #close()} may be called from any thread.
 */
public final class ClusterLink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("jmoq.cluster");

    private final URI uri;
    private final LinkKind kind;
    private final Origin origin;
    private final SessionConfig sessionConfig;
    private final SessionFactory sessions;
    private final ClientOptions clientOptions;
    private final SessionStats stats;
    private final EgressStats egressStats;
    private final EventLoop loop;
    private final Backoff backoff;
    private volatile boolean closed;
    private volatile boolean connected;
    private Session session;
    private long connects;
    private volatile java.util.function.Consumer<Boolean> onStateChange = up -> { };

    /** Hears every change between up and down (on the link's event loop). */
    public void onStateChange(java.util.function.Consumer<Boolean> listener) {
        this.onStateChange = listener;
    }

    /**
     * @param sessions makes the link's session for the protocol the dial negotiated (one of
     *                 {@code clientOptions.protocols()})
     */
    public ClusterLink(URI uri, LinkKind kind, Origin origin, SessionConfig sessionConfig, SessionFactory sessions,
            ClientOptions clientOptions, SessionStats stats, EgressStats egressStats, Duration backoffInitial,
            Duration backoffMax) {
        this.uri = uri;
        this.kind = kind;
        this.origin = origin;
        this.sessionConfig = sessionConfig;
        this.sessions = sessions;
        this.clientOptions = clientOptions;
        this.stats = stats;
        this.egressStats = egressStats;
        this.loop = clientOptions.group().next();
        this.backoff = new Backoff(backoffInitial, backoffMax);
    }

    public URI uri() {
        return uri;
    }

    public LinkKind kind() {
        return kind;
    }

    /** True while a session over the link is established. */
    public boolean isConnected() {
        return connected;
    }

    /** Sessions established so far (1 after the first connect; more after re-dials). */
    public long connects() {
        return connects;
    }

    /** Starts dialing. */
    public ClusterLink start() {
        loop.execute(this::dial);
        return this;
    }

    private void dial() {
        if (closed) {
            return;
        }
        Future<MoqConnection> f;
        try {
            f = switch (uri.getScheme()) {
                case "moqt", "quic", "moq" -> QuicClient.connect(uri, clientOptions);
                case "ws", "wss", "http" -> WebSocketClient.connect(uri, clientOptions);
                default -> throw new IllegalArgumentException("unsupported link scheme " + uri.getScheme());
            };
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        f.addListener(done -> loop.execute(() -> {
            if (!done.isSuccess()) {
                failed(done.cause());
                return;
            }
            MoqConnection c = f.getNow();
            if (closed) {
                c.close(0, "link closed");
                return;
            }
            c.eventLoop().execute(() -> established(c));
        }));
    }

    private void established(MoqConnection c) {
        // An upstream only feeds us: we offer it an empty origin. A peer sees ours.
        Origin serve = kind == LinkKind.PEER ? origin : new Origin();
        Session s;
        try {
            s = sessions.create(new SessionContext(c, sessionConfig, origin, serve, true, stats, egressStats, null));
        } catch (IllegalArgumentException e) {
            c.close(0, "no protocol family");
            loop.execute(() -> failed(e));
            return;
        }
        s.start();
        s.ready().whenComplete((v, err) -> loop.execute(() -> {
            if (err != null) {
                failed(err);
                return;
            }
            session = s;
            connected = true;
            connects++;
            backoff.reset();
            onStateChange.accept(true);
            LOG.log(System.Logger.Level.INFO, "event=link_up kind=" + kind.name().toLowerCase() + " uri=" + uri
                    + " version=" + v);
        }));
        s.closed().whenComplete((code, err) -> loop.execute(() -> {
            boolean was = connected;
            connected = false;
            session = null;
            if (was) {
                onStateChange.accept(false);
                LOG.log(System.Logger.Level.INFO, "event=link_down kind=" + kind.name().toLowerCase() + " uri=" + uri
                        + " code=" + code);
            }
            redial();
        }));
    }

    private void failed(Throwable cause) {
        LOG.log(System.Logger.Level.INFO, "event=link_dial_failed kind=" + kind.name().toLowerCase() + " uri=" + uri
                + " reason=\"" + cause.getMessage() + "\"");
        redial();
    }

    private void redial() {
        if (closed) {
            return;
        }
        long delay = backoff.nextDelayMillis();
        loop.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops re-dialing and closes the link's session. Idempotent; any thread. */
    @Override
    public void close() {
        closed = true;
        loop.execute(() -> {
            Session s = session;
            if (s != null) {
                s.close(SessionError.NO_ERROR, "link closed");
            }
        });
    }
}
