package dev.jmoq.relay.admin;

/**
 * Where and whether the admin HTTP listener runs. Immutable.
 *
 * @param enabled          serve the admin endpoints at all
 * @param host             address to bind; loopback by default, as the endpoints carry no authentication
 * @param port             TCP port; 0 picks a free one
 * @param broadcastSeries  most broadcasts given their own per-path metric series; the rest are summed
 *                         under {@code path="_other"} so a flood of broadcasts cannot blow up cardinality
 */
public record AdminOptions(boolean enabled, String host, int port, int broadcastSeries) {
    public static final int DEFAULT_PORT = 9090;

    public AdminOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin port must be 0..65535: " + port);
        }
        if (broadcastSeries < 0) {
            throw new IllegalArgumentException("broadcastSeries must be >= 0: " + broadcastSeries);
        }
    }

    public static AdminOptions defaults() {
        return new AdminOptions(true, "127.0.0.1", DEFAULT_PORT, 100);
    }
}
