package dev.jmoq.relay.admin;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.relay.auth.RefusalListener;
import dev.jmoq.relay.auth.RefusalReason;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The relay's metrics in a Micrometer Prometheus registry: counters and gauges read from the core's
 * {@link SessionStats} and {@link EgressStats}, the cache {@link ByteBudget} and the {@link Origin}, plus
 * counters others feed: session refusals by reason (this is the authorizer's {@link RefusalListener}),
 * limit violations by kind, and a handshake timer per transport. Per-broadcast series (tracks and
 * subscribers, tagged by path) are refreshed at each scrape and capped at {@code broadcastSeries}; the
 * rest are summed under {@code path="_other"}.
 *
 * <p>Thread-safe: the counters and the timer may be fed from any thread (event loops included, they do
 * not block); {@link #scrape()} runs on the admin listener's thread.
 */
public final class RelayMetrics implements RefusalListener {
    /** The path tag of the series that sums the broadcasts beyond the cap. */
    public static final String OTHER = "_other";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Origin origin;
    private final int broadcastSeries;
    private final Map<RefusalReason, Counter> refusals = new EnumMap<>(RefusalReason.class);
    private final Map<LimitKind, Counter> limits = new EnumMap<>(LimitKind.class);
    /** Sessions refused for their URL path or token paths (part of the path limit's count). */
    private final java.util.concurrent.atomic.LongAdder pathRefusals = new java.util.concurrent.atomic.LongAdder();
    private final Map<TransportKind, Timer> handshakes = new EnumMap<>(TransportKind.class);
    private final MultiGauge broadcastTracks;
    private final MultiGauge broadcastSubscribers;

    public RelayMetrics(SessionStats sessions, EgressStats egress, ByteBudget cache, Origin origin,
            int broadcastSeries) {
        this.origin = origin;
        this.broadcastSeries = broadcastSeries;
        counter("jmoq.sessions.opened", "Sessions accepted", sessions.sessionsOpened);
        counter("jmoq.sessions.closed", "Sessions ended", sessions.sessionsClosed);
        gauge("jmoq.sessions.active", "Sessions open now", sessions,
                s -> s.sessionsOpened.sum() - s.sessionsClosed.sum());
        counter("jmoq.sessions.refused", "Sessions refused at connect (token, origin)", sessions.sessionsRefused);
        counter("jmoq.session.unauthorized", "Announcements and subscriptions outside the session's grant",
                sessions.unauthorized);
        counter("jmoq.session.protocol.errors", "Sessions closed for a protocol violation", sessions.protocolErrors);
        counter("jmoq.session.stream.errors", "Streams that failed", sessions.streamErrors);
        counter("jmoq.broadcasts.announced", "Broadcasts announced by peers", sessions.broadcastsAnnounced);
        counter("jmoq.subscribes.served", "Subscriptions served", sessions.subscribesServed);
        counter("jmoq.subscribes.not.found", "Subscriptions to unknown broadcasts or tracks", sessions.subscribesNotFound);
        counter("jmoq.subscribe.updates", "Subscription updates", sessions.subscribeUpdates);
        counter("jmoq.subscribes.held", "IETF subscriptions held for a publisher (RENDEZVOUS_TIMEOUT)",
                sessions.subscribesHeld);
        counter("jmoq.ingress.groups", "Groups received from publishers", sessions.groupsIn);
        counter("jmoq.ingress.groups.refused", "Groups refused (duplicate, too old, closed track)", sessions.groupsRefused);
        counter("jmoq.ingress.frames", "Frames received from publishers", sessions.framesIn);
        counter("jmoq.ingress.bytes", "Frame payload bytes received", sessions.bytesIn);
        counter("jmoq.ingress.datagrams",
                "Datagrams received into a group (IETF objects, moq-lite-05 one-frame groups)", sessions.datagramsIn);
        counter("jmoq.ingress.datagrams.dropped", "Datagrams dropped (malformed, unknown alias or subscription, refused or duplicate group)",
                sessions.datagramsDropped);
        counter("jmoq.ingress.datagrams.malformed", "Datagrams that did not decode", sessions.datagramsMalformed);
        counter("jmoq.egress.groups", "Groups sent to subscribers", egress.groupsOut);
        counter("jmoq.egress.datagrams",
                "Datagrams sent (IETF objects, moq-lite-05 one-frame groups)", egress.datagramsOut);
        counter("jmoq.egress.datagram.fallbacks", "Datagram groups sent on a stream (too large, or not one frame for moq-lite-05)",
                egress.datagramFallbacks);
        counter("jmoq.egress.frames", "Frames sent to subscribers", egress.framesOut);
        counter("jmoq.egress.bytes", "Frame payload bytes sent", egress.bytesOut);
        counter("jmoq.egress.groups.reset.lagging", "Group streams reset because the subscriber fell behind",
                egress.groupsResetLagging);
        counter("jmoq.egress.groups.skipped", "Groups never started for a lapped subscriber", egress.groupsSkipped);
        counter("jmoq.egress.groups.stopped", "Groups given up because their stream ended under them (STOP_SENDING, closed)",
                egress.groupsStopped);
        counter("jmoq.egress.fetches", "FETCH requests answered from the cache", egress.fetchesServed);
        counter("jmoq.egress.fetches.not.found", "FETCH requests for a group the cache does not hold",
                egress.fetchesNotFound);
        counter("jmoq.egress.subscriptions.stalled", "Subscriptions that stalled on flow control",
                egress.subscriptionsStalled);
        gauge("jmoq.cache.used.bytes", "Bytes held by the group caches", cache, ByteBudget::used);
        gauge("jmoq.cache.limit.bytes", "Relay-wide cache byte budget", cache, ByteBudget::limit);
        gauge("jmoq.broadcasts", "Broadcasts active in the origin", origin, Origin::size);
        FunctionCounter.builder("jmoq.route.changes", origin, Origin::routeChanges)
                .description("Changes of the active route at a path (a republish replacing a live one, "
                        + "a fallback taking over)")
                .register(registry);
        for (RefusalReason r : RefusalReason.values()) {
            refusals.put(r, Counter.builder("jmoq.auth.refusals").description("Sessions refused by the authorizer")
                    .tag("reason", r.label()).register(registry));
        }
        for (LimitKind k : LimitKind.values()) {
            if (k == LimitKind.ANNOUNCEMENTS_PER_SESSION || k == LimitKind.SUBSCRIBES_PER_SECOND
                    || k == LimitKind.STREAMS_PER_SESSION || k == LimitKind.PATH
                    || k == LimitKind.MESSAGE_SIZE || k == LimitKind.FRAME_SIZE) {
                continue; // counted by the sessions and the transports themselves, bound below and in bindTransport
            }
            limits.put(k, Counter.builder("jmoq.limit.violations").description("Requests refused by a limit")
                    .tag("kind", k.label()).register(registry));
        }
        FunctionCounter.builder("jmoq.limit.violations", sessions,
                st -> st.limitAnnouncements.sum()).description("Requests refused by a limit")
                .tag("kind", LimitKind.ANNOUNCEMENTS_PER_SESSION.label()).register(registry);
        FunctionCounter.builder("jmoq.limit.violations", sessions,
                st -> st.limitSubscribeRate.sum()).description("Requests refused by a limit")
                .tag("kind", LimitKind.SUBSCRIBES_PER_SECOND.label()).register(registry);
        FunctionCounter.builder("jmoq.limit.violations", sessions,
                st -> st.limitPaths.sum() + pathRefusals.sum()).description("Requests refused by a limit")
                .tag("kind", LimitKind.PATH.label()).register(registry);
        FunctionCounter.builder("jmoq.limit.violations", sessions, st -> st.limitMessageSize.sum())
                .description("Requests refused by a limit").tag("kind", LimitKind.MESSAGE_SIZE.label()).register(registry);
        FunctionCounter.builder("jmoq.limit.violations", sessions, st -> st.limitFrameSize.sum())
                .description("Requests refused by a limit").tag("kind", LimitKind.FRAME_SIZE.label()).register(registry);
        for (TransportKind t : TransportKind.values()) {
            handshakes.put(t, Timer.builder("jmoq.handshake").description("Connection accept to session established")
                    .tag("transport", t.label()).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
        broadcastTracks = MultiGauge.builder("jmoq.broadcast.tracks").description("Tracks of a broadcast")
                .register(registry);
        broadcastSubscribers = MultiGauge.builder("jmoq.broadcast.subscribers")
                .description("Subscribers of a broadcast's tracks").register(registry);
    }

    private void counter(String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }

    private <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(description).register(registry);
    }

    /** Counts a refused session (the authorizer calls this). */
    @Override
    public void onRefused(RefusalReason reason) {
        refusals.get(reason).increment();
        if (reason == RefusalReason.INVALID_PATH) {
            pathRefusals.increment();
        }
    }

    /** Counts a request refused by a limit. */
    public void limitViolated(LimitKind kind) {
        Counter c = limits.get(kind);
        if (c != null) {
            c.increment();
        }
    }

    /**
     * Registers the transports' counters: {@code jmoq_handshake_timeouts_total{stage}} (connections closed
     * because a handshake stage did not finish in time), {@code jmoq_keepalives_total{transport}},
     * {@code jmoq_idle_timeouts_total{transport="websocket"}} (peers dropped for silence; QUIC's own idle
     * drops are quiche's and not counted) and {@code jmoq_limit_violations_total{kind="streams_per_session"}} (peers that
     * opened streams beyond the advertised limit; QUIC's are refused by quiche and not counted) and the gauge
     * {@code jmoq_streams_open{transport,direction,type}} (MoQ streams open now; {@code direction} in = opened by
     * the peer, out = by the relay; {@code type} uni or bidi: a group stream is counted until both its halves
     * are done, so uni streams return to 0 whenever no group is in flight). Call once.
     */
    public void bindTransport(TransportStats stats) {
        for (TransportStats.HandshakeStage stage : TransportStats.HandshakeStage.values()) {
            FunctionCounter.builder("jmoq.handshake.timeouts", stats, st -> st.handshakeTimeouts(stage))
                    .description("Connections closed because a handshake stage did not finish in time")
                    .tag("stage", stage.label()).register(registry);
        }
        for (TransportKind t : TransportKind.values()) {
            FunctionCounter.builder("jmoq.keepalives", stats, st -> st.keepAlives(t))
                    .description("Keep-alives sent to quiet peers").tag("transport", t.label()).register(registry);
        }
        // Only the WebSocket idle rule is ours; QUIC's (raw and WebTransport) is quiche's and not observable.
        FunctionCounter.builder("jmoq.idle.timeouts", stats, st -> st.idleTimeouts(TransportKind.WEBSOCKET))
                .description("Connections dropped because the peer sent nothing for the idle timeout")
                .tag("transport", TransportKind.WEBSOCKET.label()).register(registry);
        for (TransportKind t : TransportKind.values()) {
            for (TransportStats.StreamDirection d : TransportStats.StreamDirection.values()) {
                for (boolean uni : new boolean[] {true, false}) {
                    Gauge.builder("jmoq.streams.open", stats, st -> st.streamsOpen(t, d, uni))
                            .description("MoQ streams open now (opened by the peer: in; by the relay: out)")
                            .tags("transport", t.label(), "direction", d.label(), "type", uni ? "uni" : "bidi")
                            .register(registry);
                }
            }
        }
        FunctionCounter.builder("jmoq.limit.violations", stats, TransportStats::streamLimitViolations)
                .description("Requests refused by a limit").tag("kind", LimitKind.STREAMS_PER_SESSION.label())
                .register(registry);
    }

    /** The timer of handshakes over {@code transport}: record from connection accept to session established. */
    public Timer handshakeTimer(TransportKind transport) {
        return handshakes.get(transport);
    }

    /** The registry, for components that add their own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Refreshes the per-broadcast series, then renders every meter in the Prometheus text format. */
    public synchronized String scrape() {
        refreshBroadcasts();
        return registry.scrape();
    }

    private void refreshBroadcasts() {
        List<BroadcastLoad> rows = new ArrayList<>();
        for (Broadcast b : origin.list("")) {
            rows.add(BroadcastLoad.of(b));
        }
        // The busiest broadcasts keep their own series; the tail is summed so cardinality stays bounded.
        rows.sort(Comparator.comparingLong(BroadcastLoad::subscribers).reversed().thenComparing(BroadcastLoad::path));
        List<MultiGauge.Row<?>> trackRows = new ArrayList<>();
        List<MultiGauge.Row<?>> subscriberRows = new ArrayList<>();
        int otherTracks = 0;
        long otherSubscribers = 0;
        for (int i = 0; i < rows.size(); i++) {
            BroadcastLoad r = rows.get(i);
            if (i < broadcastSeries) {
                trackRows.add(MultiGauge.Row.of(Tags.of("path", r.path()), r.tracks()));
                subscriberRows.add(MultiGauge.Row.of(Tags.of("path", r.path()), r.subscribers()));
            } else {
                otherTracks += r.tracks();
                otherSubscribers += r.subscribers();
            }
        }
        if (rows.size() > broadcastSeries) {
            trackRows.add(MultiGauge.Row.of(Tags.of("path", OTHER), otherTracks));
            subscriberRows.add(MultiGauge.Row.of(Tags.of("path", OTHER), otherSubscribers));
        }
        broadcastTracks.register(trackRows, true);
        broadcastSubscribers.register(subscriberRows, true);
    }
}
