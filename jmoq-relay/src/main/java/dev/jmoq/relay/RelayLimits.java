package dev.jmoq.relay;

/**
 * Per-relay and per-session caps that protect the relay from one client (or one address) taking all of
 * it. Zero means "no limit" for every field. Immutable.
 *
 * @param sessions                sessions open at once, relay-wide
 * @param sessionsPerAddress      sessions open at once from one remote IP address
 * @param streamsPerSession       streams a peer may have open at once in one session
 * @param announcementsPerSession broadcasts one session may announce at once
 * @param subscribesPerSecond     sustained subscribe rate per session (a burst of the same size is allowed)
 */
public record RelayLimits(int sessions, int sessionsPerAddress, int streamsPerSession, int announcementsPerSession,
        double subscribesPerSecond) {

    public RelayLimits {
        if (sessions < 0 || sessionsPerAddress < 0 || streamsPerSession < 0 || announcementsPerSession < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = unlimited)");
        }
        if (!(subscribesPerSecond >= 0) || Double.isInfinite(subscribesPerSecond)) {
            throw new IllegalArgumentException("subscribesPerSecond must be a finite number >= 0");
        }
    }

    /** The defaults documented in docs/configuration.md. */
    public static RelayLimits defaults() {
        return new RelayLimits(100_000, 0, 1_000, 1_000, 100);
    }

    /** True when {@code value} is a real cap (not 0, "unlimited"). */
    public static boolean capped(long value) {
        return value > 0;
    }
}
