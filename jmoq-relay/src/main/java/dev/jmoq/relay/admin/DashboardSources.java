package dev.jmoq.relay.admin;

import dev.jmoq.core.model.Origin;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where the dashboard reads the relay's state. Each supplier is called from the dashboard's ticker thread
 * once a second and must be thread-safe and cheap (a snapshot copy, no I/O).
 *
 * @param origin       the broadcasts and their tracks
 * @param readiness    ready, draining, failing checks
 * @param sessions     the open sessions
 * @param links        the cluster links
 * @param ingressBytes payload bytes received from publishers so far
 * @param egressBytes  payload bytes sent to subscribers so far
 * @param errors       the recent errors
 * @param port         the relay's public port (the players' pages live there; the dashboard may be read on
 *                     the admin port)
 */
public record DashboardSources(Origin origin, Readiness readiness, Supplier<List<SessionInfo>> sessions,
        Supplier<List<LinkInfo>> links, LongSupplier ingressBytes, LongSupplier egressBytes, RecentErrors errors,
        IntSupplier port) {
}
