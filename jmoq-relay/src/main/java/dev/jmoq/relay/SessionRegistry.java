package dev.jmoq.relay;

import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionError;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions open on the relay (clients and relays that dialed it), counted in total and per remote
 * address; a session leaves when it closes. Thread-safe.
 */
final class SessionRegistry {
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    /** Adds {@code session} (from {@code address}) until it closes. Call before starting it. */
    void add(Session session, String address) {
        sessions.add(session);
        perAddress.merge(address, 1, Integer::sum);
        session.closed().whenComplete((code, err) -> {
            sessions.remove(session);
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        });
    }

    int size() {
        return sessions.size();
    }

    boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** A snapshot of the open sessions. */
    java.util.List<Session> list() {
        return java.util.List.copyOf(sessions);
    }

    /** Sessions open from {@code address}. */
    int fromAddress(String address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** Sends every session's peer GOAWAY with {@code uri}. */
    void goawayAll(String uri) {
        for (Session session : sessions) {
            session.goaway(uri);
        }
    }

    /** Closes every session with {@code error}. */
    void closeAll(SessionError error, String reason) {
        for (Session session : sessions) {
            session.close(error, reason);
        }
    }
}
