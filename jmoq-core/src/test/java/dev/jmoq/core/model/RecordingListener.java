package dev.jmoq.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An announce listener that keeps the events it heard and the broadcast it believes active per path. Thread-safe. */
final class RecordingListener implements AnnounceListener {
    final List<String> events = new ArrayList<>();
    final Map<String, Broadcast> active = new ConcurrentHashMap<>();

    @Override
    public synchronized void onAnnounce(Broadcast broadcast) {
        events.add("+" + broadcast.path());
        active.put(broadcast.path(), broadcast);
    }

    @Override
    public synchronized void onWithdraw(String path) {
        events.add("-" + path);
        active.remove(path);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
