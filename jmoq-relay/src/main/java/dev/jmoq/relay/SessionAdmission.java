package dev.jmoq.relay;

import dev.jmoq.core.model.Origin;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.Grant;
import dev.jmoq.core.session.ProtocolFamily;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionAuthorizer;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.relay.admin.LimitKind;
import dev.jmoq.relay.admin.RelayMetrics;
import dev.jmoq.transport.HandshakeDeadline;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.TransportStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a new connection gets a session, and starts it: refused while the relay is closing,
 * over the session limits (in total, per remote address), or when the authorizer refuses its token (a
 * connection that brought none, of a family whose setup carries one, is left to the session to present
 * it: {@link SessionContext#setupToken()});
 * otherwise a session of the negotiated protocol's family over the relay's origin, registered until it
 * closes. Each refusal closes the connection with its family's code for the {@link SessionError}; limit
 * refusals are counted ({@code jmoq_limit_violations}) and logged at most once a second.
 *
 * <p>Threading: {@link #accept} runs on the connection's event loop, many connections at once.
 */
final class SessionAdmission {
    private static final System.Logger LOG = System.getLogger("jmoq.relay");

    private final RelayLimits limits;
    private final SessionAuthorizer authorizer;
    private final SessionFactory factory;
    private final SessionRegistry sessions;
    private final Origin origin;
    private final SessionStats stats;
    private final EgressStats egressStats;
    private final RelayMetrics metrics;
    private final BooleanSupplier closing;
    private final Duration handshakeTimeout;
    private final TransportStats transportStats;
    private volatile long lastLimitLog;

    /**
     * @param closing          true once the relay shuts down: new connections are refused
     * @param handshakeTimeout how long a session may take to become ready (the MoQ SETUP) before it is closed
     *                         with {@link SessionError#TIMEOUT} and counted in {@code transportStats}
     */
    SessionAdmission(RelayLimits limits, SessionAuthorizer authorizer, SessionFactory factory, SessionRegistry sessions,
            Origin origin, SessionStats stats, EgressStats egressStats, RelayMetrics metrics, BooleanSupplier closing,
            Duration handshakeTimeout, TransportStats transportStats) {
        this.handshakeTimeout = handshakeTimeout;
        this.transportStats = transportStats;
        this.limits = limits;
        this.authorizer = authorizer;
        this.factory = factory;
        this.sessions = sessions;
        this.origin = origin;
        this.stats = stats;
        this.egressStats = egressStats;
        this.metrics = metrics;
        this.closing = closing;
    }

    /** Admits {@code connection} with {@code config}, or closes it with the reason it was refused. */
    void accept(MoqConnection connection, SessionConfig config) {
        if (closing.getAsBoolean()) {
            factory.refuse(connection, SessionError.CLOSED, "relay shutting down");
            return;
        }
        String address = connection.remoteAddress() instanceof InetSocketAddress isa
                ? isa.getAddress().getHostAddress() : String.valueOf(connection.remoteAddress());
        if (RelayLimits.capped(limits.sessions()) && sessions.size() >= limits.sessions()) {
            refuseForLimit(connection, LimitKind.SESSIONS, limits.sessions(), address);
            return;
        }
        if (RelayLimits.capped(limits.sessionsPerAddress())
                && sessions.fromAddress(address) >= limits.sessionsPerAddress()) {
            refuseForLimit(connection, LimitKind.SESSIONS_PER_ADDRESS, limits.sessionsPerAddress(), address);
            return;
        }
        Grant grant;
        SessionContext.SetupToken setupToken = null;
        try {
            try {
                grant = authorizer.authorize(connection);
            } catch (SessionAuthorizer.Refused e) {
                if (!e.tokenMissing()) {
                    throw e;
                }
                if (factory.familyFor(connection.protocol() == null ? "" : connection.protocol())
                        .map(ProtocolFamily::takesSetupToken).orElse(false)) {
                    // No token with the connection, but the session's setup may carry one (IETF
                    // AUTHORIZATION_TOKEN): nothing is allowed until the session has checked it.
                    String path = connection.path();
                    int q = path.indexOf('?');
                    grant = new Grant(q >= 0 ? path.substring(0, q) : path, List.of(), List.of(), null);
                    setupToken = token -> authorizer.authorize(connection, token);
                } else {
                    grant = authorizer.authorize(connection, null); // refused as a missing token, and counted
                }
            }
        } catch (SessionAuthorizer.Refused e) {
            stats.sessionsRefused.increment();
            LOG.log(System.Logger.Level.INFO, "event=session_refused reason=\"" + e.getMessage() + "\" transport="
                    + connection.kind().label() + " remote=" + connection.remoteAddress());
            factory.refuse(connection, SessionError.UNAUTHORIZED, "unauthorized");
            return;
        }
        Session session;
        try {
            session = factory.create(new SessionContext(connection, config, origin, origin, false, stats, egressStats,
                    grant, setupToken));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "event=session_refused reason=\"" + e.getMessage() + "\" transport="
                    + connection.kind().label() + " remote=" + connection.remoteAddress());
            factory.refuse(connection, SessionError.VERSION_MISMATCH, "unsupported protocol");
            return;
        }
        // The MoQ SETUP (or, with the version in the ALPN, the session's start) must finish in time.
        long acceptedNanos = System.nanoTime();
        HandshakeDeadline setup = HandshakeDeadline.arm(connection.eventLoop(), handshakeTimeout.toMillis(),
                TransportStats.HandshakeStage.SETUP, transportStats, connection.remoteAddress(),
                () -> session.close(SessionError.TIMEOUT, "setup timeout"));
        session.ready().whenComplete((version, err) -> {
            if (setup.disarm() && err == null) {
                metrics.handshakeTimer(connection.kind()).record(System.nanoTime() - acceptedNanos, TimeUnit.NANOSECONDS);
            }
        });
        sessions.add(session, address);
        session.start();
    }

    private void refuseForLimit(MoqConnection connection, LimitKind kind, int max, String address) {
        metrics.limitViolated(kind);
        long now = System.nanoTime();
        if (now - lastLimitLog > 1_000_000_000L) { // one line a second at most, however hard it is hit
            lastLimitLog = now;
            LOG.log(System.Logger.Level.WARNING, "event=limit_exceeded limit=" + kind.name().toLowerCase(Locale.ROOT)
                    + " max=" + max + " address=" + address + " transport=" + connection.kind().label());
        }
        factory.refuse(connection, SessionError.LIMIT_EXCEEDED, "too many sessions");
    }
}
