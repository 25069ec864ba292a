package dev.jmoq.relay.admin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The live dashboard's data: once a second {@link #tick} samples the rates ({@link RateHistory}, five minutes
 * kept), builds the state ({@link DashboardState}) and sends it to every following dashboard
 * ({@link EventStreams}). Served by {@link DashboardApi} on the admin listener and, with access control, on
 * the relay's public port (see docs/decisions/0002-pages-and-dashboard.md).
 *
 * <p>Lifecycle: {@link #start()} runs the ticker on its own daemon thread; {@link #close()} stops it, closes
 * the streams and detaches the error log handler. Thread-safe.
 */
public final class Dashboard implements AutoCloseable {
    /** Time between samples and pushed states. */
    public static final long INTERVAL_MILLIS = 1000;
    /** Samples kept: five minutes. */
    public static final int HISTORY = 300;
    private static final System.Logger LOG = System.getLogger("jmoq.admin");

    private final RateHistory history;
    private final DashboardState state;
    private final EventStreams streams = new EventStreams();
    private final RecentErrors errors;
    private final LongSupplier clockMillis;
    private volatile byte[] latestState;
    private ScheduledExecutorService ticker;

    /** A dashboard over {@code sources}, sampling at {@code clockMillis} (the wall clock in the relay). */
    public Dashboard(DashboardSources sources, LongSupplier clockMillis) {
        this.history = new RateHistory(sources.origin(), sources.ingressBytes(), sources.egressBytes(), HISTORY);
        this.state = new DashboardState(sources, history);
        this.errors = sources.errors();
        this.clockMillis = clockMillis;
    }

    /** Starts the once-a-second ticker. */
    public synchronized Dashboard start() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jmoq-dashboard");
                t.setDaemon(true);
                return t;
            });
            tick();
            ticker.scheduleAtFixedRate(this::tickSafely, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // Never let one bad sample stop the ticker (a scheduled task that throws is not run again).
            LOG.log(System.Logger.Level.WARNING, "event=dashboard_tick_failed error=\"" + e + "\"");
        }
    }

    /**
     * Takes a sample and, when a dashboard follows, builds the state and sends it. The ticker calls it; tests
     * may too.
     */
    public void tick() {
        long now = clockMillis.getAsLong();
        history.sample(now);
        if (streams.clients() == 0) {
            latestState = null; // nobody follows: build on request instead of every second
            return;
        }
        String json = state.state(now).toString();
        latestState = json.getBytes(StandardCharsets.UTF_8);
        streams.send("state", json);
    }

    /** The newest state as JSON (built at the last tick, or now when the last tick built none). */
    public byte[] stateJson() {
        byte[] s = latestState;
        return s != null ? s : state.state(clockMillis.getAsLong()).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What a new follower gets first: the history event, then the newest state event. */
    byte[] initialEvents() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EventStreams.format("history", state.history(INTERVAL_MILLIS).toString()));
        out.writeBytes(EventStreams.format("state", new String(stateJson(), StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    public EventStreams streams() {
        return streams;
    }

    public RateHistory history() {
        return history;
    }

    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
            ticker = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        streams.closeAll();
        errors.close();
    }
}
