package dev.jmoq.relay;

import dev.jmoq.core.model.CacheConfig;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Once a second, on a daemon thread of its own: reloads the certificate if its files changed, and sweeps
 * every track's group cache by age ({@link Track#sweep}). A failing sweep is logged and retried at the
 * next tick. Thread-safe; {@link #close()} is idempotent.
 */
final class CacheSweeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("jmoq.relay");

    private final Origin origin;
    private final CertificateReloader certificates;
    private final ScheduledExecutorService executor;

    CacheSweeper(Origin origin, CertificateReloader certificates) {
        this.origin = origin;
        this.certificates = certificates;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jmoq-cache-sweeper");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        certificates.reloadIfChanged();
        long now = CacheConfig.SYSTEM_CLOCK.getAsLong();
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

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
