package dev.jmoq.core.session;

import dev.jmoq.core.model.Paths;
import java.net.SocketAddress;

/**
 * A session's check of the paths its peer sends (announcements, announce requests, subscriptions): the one
 * rule of {@link Paths#problem} (length, dot segments, control characters). A refused path is counted in
 * {@link SessionStats#limitPaths} ({@code jmoq_limit_violations{kind="path"}}) and logged once per session;
 * the family refuses that request only (its stream), never the session.
 *
 * <p>Not thread-safe: one session's event loop.
 */
public final class PathGuard {
    private static final System.Logger LOG = System.getLogger("jmoq.session");

    private final SessionStats stats;
    private final SocketAddress remote;
    private boolean logged;

    public PathGuard(SessionStats stats, SocketAddress remote) {
        this.stats = stats;
        this.remote = remote;
    }

    /**
     * @param path  the full path (joined with the session's root)
     * @param where the message it came in, for the log line ({@code subscribe}, {@code announce}, ...)
     * @return null when {@code path} may be used; otherwise why not (already counted and logged)
     */
    public Paths.Problem refused(String path, String where) {
        Paths.Problem problem = Paths.problem(path);
        if (problem == null) {
            return null;
        }
        stats.limitPaths.increment();
        if (!logged) {
            logged = true;
            LOG.log(System.Logger.Level.INFO, "event=limit_exceeded limit=path message=" + where + " problem=\""
                    + problem.description() + "\" length=" + path.length() + " remote=" + remote);
        }
        return problem;
    }
}
