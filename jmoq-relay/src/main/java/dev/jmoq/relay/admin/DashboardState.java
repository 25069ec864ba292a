package dev.jmoq.relay.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Track;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the dashboard's JSON documents (documented in docs/operations.md, "Dashboard API"):
 * the state ({@code GET /api/dashboard}, and the SSE {@code state} event once a second) and the history
 * (the SSE {@code history} event sent when a client connects).
 *
 * <p>Stateless apart from its sources; called from the ticker thread and from request handlers.
 */
public final class DashboardState {
    /** Sessions listed one by one; beyond that only the counts by transport and version. */
    public static final int MAX_LISTED_SESSIONS = 200;
    /** Broadcasts described one by one (the most watched first); {@code broadcasts_total} counts them all. */
    public static final int MAX_LISTED_BROADCASTS = 500;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final DashboardSources sources;
    private final RateHistory history;
    private final long startedNanos = System.nanoTime();

    public DashboardState(DashboardSources sources, RateHistory history) {
        this.sources = sources;
        this.history = history;
    }

    /**
     * The state now: {@code relay}, {@code totals}, {@code broadcasts} (path, viewers, subscriptions, bytes,
     * groups, rates, tracks), {@code sessions} (total, by_kind, list), {@code links}, {@code errors} and the
     * newest {@code sample} (null before the second sample).
     */
    public ObjectNode state(long nowMillis) {
        ObjectNode o = JSON.objectNode();
        o.put("time_ms", nowMillis);
        RateHistory.Sample latest = history.latest();
        Readiness readiness = sources.readiness();
        ObjectNode relay = o.putObject("relay");
        boolean ready = readiness.isReady();
        relay.put("status", readiness.isDraining() ? "draining" : ready ? "ok" : "not_ready");
        relay.put("uptime_seconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        relay.put("port", sources.port().getAsInt());
        ObjectNode totals = o.putObject("totals");
        totals.put("ingress_bytes", sources.ingressBytes().getAsLong());
        totals.put("egress_bytes", sources.egressBytes().getAsLong());
        totals.put("ingress_bps", latest == null ? 0 : latest.ingressBps());
        totals.put("egress_bps", latest == null ? 0 : latest.egressBps());
        o.put("broadcasts_total", broadcasts(o.putArray("broadcasts"), latest));
        sessions(o.putObject("sessions"));
        ArrayNode links = o.putArray("links");
        for (LinkInfo l : sources.links().get()) {
            ObjectNode e = links.addObject();
            e.put("uri", l.uri());
            e.put("kind", l.kind());
            e.put("connected", l.connected());
            e.put("connects", l.connects());
        }
        ArrayNode errors = o.putArray("errors");
        for (RecentErrors.Entry e : sources.errors().snapshot()) {
            ObjectNode x = errors.addObject();
            x.put("time_ms", e.timeMillis());
            x.put("level", e.level());
            x.put("logger", e.logger());
            x.put("message", e.message());
        }
        if (latest == null) {
            o.putNull("sample");
        } else {
            o.set("sample", sample(latest));
        }
        return o;
    }

    /** The kept samples, oldest first: {@code {"interval_ms":1000,"samples":[sample…]}}. */
    public ObjectNode history(long intervalMillis) {
        ObjectNode o = JSON.objectNode();
        o.put("interval_ms", intervalMillis);
        ArrayNode list = o.putArray("samples");
        for (RateHistory.Sample s : history.samples()) {
            list.add(sample(s));
        }
        return o;
    }

    /** One sample: {@code {"t": seconds, "ingress_bps", "egress_bps", "broadcasts": {path: {"bps", "gps"}}}}. */
    static ObjectNode sample(RateHistory.Sample s) {
        ObjectNode o = JSON.objectNode();
        o.put("t", s.timeMillis() / 1000.0);
        o.put("ingress_bps", Math.round(s.ingressBps()));
        o.put("egress_bps", Math.round(s.egressBps()));
        ObjectNode b = o.putObject("broadcasts");
        for (Map.Entry<String, RateHistory.Rate> e : s.broadcasts().entrySet()) {
            ObjectNode r = b.putObject(e.getKey());
            r.put("bps", Math.round(e.getValue().bitsPerSecond()));
            r.put("gps", Math.round(e.getValue().groupsPerSecond() * 100) / 100.0);
        }
        return o;
    }

    /** Describes the most watched {@link #MAX_LISTED_BROADCASTS} broadcasts into {@code list}; returns how many there are. */
    private int broadcasts(ArrayNode list, RateHistory.Sample latest) {
        List<Broadcast> all = new java.util.ArrayList<>(sources.origin().list(""));
        if (all.size() > MAX_LISTED_BROADCASTS) {
            all.sort(java.util.Comparator.comparingLong(DashboardState::subscriptions).reversed());
            all = all.subList(0, MAX_LISTED_BROADCASTS);
            all.sort(java.util.Comparator.comparing(Broadcast::path));
        }
        for (Broadcast b : all) {
            ObjectNode e = list.addObject();
            e.put("path", b.path());
            long viewers = 0;
            long subscriptions = 0;
            ArrayNode tracks = JSON.arrayNode();
            for (Track t : b.tracks()) {
                int n = t.subscriberCount();
                // A viewer subscribes to each track it plays once: the busiest track counts the viewers.
                viewers = Math.max(viewers, n);
                subscriptions += n;
                ObjectNode x = tracks.addObject();
                x.put("name", t.name());
                x.put("subscribers", n);
                x.put("groups", t.stats().groupsIn.sum());
                x.put("bytes", t.stats().bytesIn.sum());
                x.put("cached_groups", t.cachedGroups());
            }
            long[] totals = RateHistory.totals(b);
            RateHistory.Rate rate = latest == null ? null : latest.broadcasts().get(b.path());
            e.put("viewers", viewers);
            e.put("subscriptions", subscriptions);
            e.put("bytes", totals[0]);
            e.put("groups", totals[1]);
            e.put("bitrate_bps", rate == null ? 0 : Math.round(rate.bitsPerSecond()));
            e.put("group_rate", rate == null ? 0 : Math.round(rate.groupsPerSecond() * 100) / 100.0);
            e.set("tracks", tracks);
        }
        return sources.origin().size();
    }

    private static long subscriptions(Broadcast b) {
        long n = 0;
        for (Track t : b.tracks()) {
            n += t.subscriberCount();
        }
        return n;
    }

    private void sessions(ObjectNode o) {
        List<SessionInfo> all = sources.sessions().get();
        o.put("total", all.size());
        Map<String, Integer> byKind = new TreeMap<>();
        for (SessionInfo s : all) {
            byKind.merge(s.transport() + "\n" + s.version(), 1, Integer::sum);
        }
        ArrayNode kinds = o.putArray("by_kind");
        byKind.forEach((k, n) -> {
            int nl = k.indexOf('\n');
            ObjectNode e = kinds.addObject();
            e.put("transport", k.substring(0, nl));
            e.put("version", k.substring(nl + 1));
            e.put("count", n);
        });
        ArrayNode list = o.putArray("list");
        for (SessionInfo s : all.subList(0, Math.min(MAX_LISTED_SESSIONS, all.size()))) {
            ObjectNode e = list.addObject();
            e.put("transport", s.transport());
            e.put("version", s.version());
            e.put("root", s.root());
        }
    }
}
