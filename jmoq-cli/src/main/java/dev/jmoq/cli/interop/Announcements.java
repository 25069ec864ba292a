package dev.jmoq.cli.interop;

import dev.jmoq.core.client.ClientSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one SUBSCRIBE_NAMESPACE of a client heard: (suffix, active) in arrival order (NAMESPACE /
 * NAMESPACE_DONE on drafts 16+, PUBLISH_NAMESPACE / PUBLISH_NAMESPACE_DONE from the relay on 14/15).
 * Thread-safe.
 */
final class Announcements {
    private record Entry(String suffix, boolean active) {
    }

    private final List<Entry> heard = new ArrayList<>();
    private final List<Runnable> waiters = new ArrayList<>();
    private int consumed;

    static Announcements listen(ClientSession s, String prefix) {
        Announcements a = new Announcements();
        s.announced(prefix, a::add);
        return a;
    }

    private synchronized void add(String suffix, boolean active) {
        String p = suffix.startsWith("/") ? suffix.substring(1) : suffix;
        heard.add(new Entry(p, active));
        for (Runnable w : List.copyOf(waiters)) {
            w.run();
        }
    }

    /** Completes when an entry for {@code suffix} with {@code active} arrives after those already matched. */
    synchronized CompletableFuture<Void> next(String suffix, boolean active) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Runnable check = () -> {
            synchronized (this) {
                while (!f.isDone() && consumed < heard.size()) {
                    Entry e = heard.get(consumed++);
                    if (e.suffix.equals(suffix) && e.active == active) {
                        f.complete(null);
                    }
                }
            }
        };
        waiters.add(check);
        check.run();
        return f;
    }
}
