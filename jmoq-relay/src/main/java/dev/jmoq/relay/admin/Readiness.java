package dev.jmoq.relay.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the relay should receive new sessions: not while it drains, nor while any registered check
 * (a required upstream, a cluster link) is failing. Components register a {@link Check} and flip it as
 * their dependency comes and goes; {@code /health/ready} answers 503 while {@link #isReady()} is false.
 *
 * <p>Thread-safe: checks are volatile flags in a copy-on-write list; any thread may flip them.
 */
public final class Readiness {
    private final CopyOnWriteArrayList<Check> checks = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    /** One required dependency. Starts not ready when registered so, until it reports in. */
    public final class Check implements AutoCloseable {
        private final String name;
        private volatile boolean ready;
        private volatile String detail;

        private Check(String name, boolean ready, String detail) {
            this.name = name;
            this.ready = ready;
            this.detail = detail;
        }

        public String name() {
            return name;
        }

        public boolean isReady() {
            return ready;
        }

        public String detail() {
            return detail;
        }

        public void ready() {
            detail = "ok";
            ready = true;
        }

        /** Marks the dependency unreachable; {@code why} is shown on {@code /health/ready}. */
        public void notReady(String why) {
            detail = why;
            ready = false;
        }

        /** Removes the check (the dependency is no longer required). */
        @Override
        public void close() {
            checks.remove(this);
        }
    }

    /**
     * Registers a required dependency called {@code name}.
     *
     * @param ready whether it is ready already
     */
    public Check register(String name, boolean ready) {
        Check c = new Check(name, ready, ready ? "ok" : "starting");
        checks.add(c);
        return c;
    }

    /** Set at the start of shutdown: load balancers should stop sending new sessions. */
    public void setDraining(boolean draining) {
        this.draining = draining;
    }

    public boolean isDraining() {
        return draining;
    }

    public boolean isReady() {
        if (draining) {
            return false;
        }
        for (Check c : checks) {
            if (!c.ready) {
                return false;
            }
        }
        return true;
    }

    /** Every check's state by name: "ok" or why it is not ready. */
    public Map<String, String> checks() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Check c : checks) {
            out.put(c.name, c.ready ? "ok" : c.detail);
        }
        return out;
    }
}
