package dev.jmoq.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The registry of broadcasts by path, and the announcements of them by prefix.
 *
 * <p>Several producers may announce the same path (a publisher reconnecting, two routes through a
 * cluster): a new route becomes active unless it has more hops than the active one (then it waits as a
 * fallback), and when the active one is withdrawn the remaining one with the fewest hops (the newest among
 * equals) becomes active, so subscribers see one withdraw only when the last route
 * goes. Listeners match by prefix at segment boundaries; a new listener is first told of every active
 * broadcast under its prefix.
 *
 * <p>A change of the active route at a path (a new route replacing a live one, or a fallback taking over
 * from a withdrawn one) is one event: listeners hear {@link AnnounceListener#onReplace}, and the
 * broadcast that lost the route while still open ends its subscriptions ({@link Broadcast#routeLost()}),
 * so nobody stays bound to a route no announcement offers any more.
 *
 * <p>Thread-safe: structural changes take the origin's monitor (once per announce or withdraw); listeners
 * are called after it is released, in order per path.
 */
public final class Origin {
    private final Map<String, List<Broadcast>> routes = new TreeMap<>();
    private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
    private final Object notifyLock = new Object();
    private final LongAdder routeChanges = new LongAdder();

    /** A listener and its prefix; {@link #close()} stops it. */
    public final class Registration implements AutoCloseable {
        private final String prefix;
        private final AnnounceListener listener;

        private Registration(String prefix, AnnounceListener listener) {
            this.prefix = prefix;
            this.listener = listener;
        }

        public String prefix() {
            return prefix;
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }

    /**
     * Makes {@code broadcast} the active one at its path and tells listeners. When the broadcast closes it
     * is withdrawn automatically. Announcing a broadcast that is already routed does nothing.
     */
    public void announce(Broadcast broadcast) {
        boolean becameActive = true;
        Broadcast replaced;
        synchronized (notifyLock) {
            synchronized (this) {
                List<Broadcast> list = routes.computeIfAbsent(broadcast.path(), p -> new ArrayList<>());
                if (list.contains(broadcast)) {
                    return; // already routed: a second entry would outlive the one withdraw that should remove it
                }
                Broadcast active = list.isEmpty() ? null : list.getLast();
                if (active != null && broadcast.hops().size() > active.hops().size()) {
                    // A longer route than the active one: kept as a fallback, not announced.
                    list.add(list.size() - 1, broadcast);
                    becameActive = false;
                } else {
                    list.add(broadcast);
                }
                replaced = becameActive ? active : null;
            }
            if (!becameActive) {
                broadcast.onClose(() -> withdraw(broadcast));
                return;
            }
            for (Registration r : listeners) {
                if (Paths.hasPrefix(broadcast.path(), r.prefix)) {
                    if (replaced == null) {
                        r.listener.onAnnounce(broadcast);
                    } else {
                        r.listener.onReplace(replaced, broadcast);
                    }
                }
            }
        }
        if (replaced != null) {
            routeChanges.increment();
            replaced.routeLost();
        }
        broadcast.onClose(() -> withdraw(broadcast));
    }

    /**
     * Removes {@code broadcast}; listeners hear of the path's next route (a route change), or of its
     * withdrawal. A broadcast withdrawn while still open ends its subscriptions as on a route change.
     * Idempotent.
     */
    public void withdraw(Broadcast broadcast) {
        synchronized (notifyLock) {
            Broadcast next;
            boolean wasActive;
            synchronized (this) {
                List<Broadcast> list = routes.get(broadcast.path());
                if (list == null) {
                    return;
                }
                wasActive = !list.isEmpty() && list.getLast() == broadcast;
                if (!list.remove(broadcast)) {
                    return;
                }
                if (list.isEmpty()) {
                    routes.remove(broadcast.path());
                    next = null;
                } else {
                    next = best(list);
                    list.remove(next);
                    list.add(next);
                }
            }
            if (!wasActive) {
                return;
            }
            for (Registration r : listeners) {
                if (Paths.hasPrefix(broadcast.path(), r.prefix)) {
                    if (next == null) {
                        r.listener.onWithdraw(broadcast.path());
                    } else {
                        r.listener.onReplace(broadcast, next);
                    }
                }
            }
            if (next != null) {
                routeChanges.increment();
            }
        }
        broadcast.routeLost(); // nothing for a closed broadcast: its tracks ended with it
    }

    /** How many times the active route at some path changed (a replacement or a fallback taking over). */
    public long routeChanges() {
        return routeChanges.sum();
    }

    private static Broadcast best(List<Broadcast> list) {
        Broadcast best = list.getLast();
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).hops().size() < best.hops().size()) {
                best = list.get(i);
            }
        }
        return best;
    }

    /** The active broadcast at {@code path}, or null. */
    public synchronized Broadcast get(String path) {
        List<Broadcast> list = routes.get(Paths.normalize(path));
        return list == null || list.isEmpty() ? null : list.getLast();
    }

    /** Active broadcasts under {@code prefix}, in path order. */
    public synchronized List<Broadcast> list(String prefix) {
        String p = Paths.normalize(prefix);
        List<Broadcast> out = new ArrayList<>();
        for (Map.Entry<String, List<Broadcast>> e : routes.entrySet()) {
            if (Paths.hasPrefix(e.getKey(), p) && !e.getValue().isEmpty()) {
                out.add(e.getValue().getLast());
            }
        }
        return out;
    }

    /** Number of paths with an active broadcast. */
    public synchronized int size() {
        return routes.size();
    }

    /**
     * Registers {@code listener} for broadcasts under {@code prefix} and tells it at once of every active one.
     * Close the registration to stop.
     */
    public Registration listen(String prefix, AnnounceListener listener) {
        Registration r = new Registration(Paths.normalize(prefix), listener);
        synchronized (notifyLock) {
            listeners.add(r);
            for (Broadcast b : list(r.prefix)) {
                listener.onAnnounce(b);
            }
        }
        return r;
    }
}
