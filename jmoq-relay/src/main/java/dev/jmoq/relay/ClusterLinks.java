package dev.jmoq.relay;

import dev.jmoq.core.model.Origin;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.relay.admin.Readiness;
import dev.jmoq.relay.cluster.ClusterLink;
import dev.jmoq.relay.cluster.ClusterOptions;
import dev.jmoq.relay.cluster.LinkKind;
import dev.jmoq.transport.ClientOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The relay's links to other relays: dials each (on an event loop of their own, made with the first
 * link), and ties every upstream link to a readiness check (a link that is down makes the relay not
 * ready). Links speak {@value #LINK_PROTOCOL}: the first moq-lite draft with origin-id hop lists and
 * ANNOUNCE_PLEASE exclude_hop, which loop avoidance between relays needs.
 *
 * <p>Thread-safe.
 */
final class ClusterLinks {
    static final String LINK_PROTOCOL = "moq-lite-04";

    private final ClusterOptions options;
    private final Origin origin;
    private final SessionFactory factory;
    private final SessionStats stats;
    private final EgressStats egressStats;
    private final Readiness readiness;
    private final List<ClusterLink> links = new CopyOnWriteArrayList<>();
    private final List<Readiness.Check> checks = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;

    ClusterLinks(ClusterOptions options, Origin origin, SessionFactory factory, SessionStats stats,
            EgressStats egressStats, Readiness readiness) {
        this.options = options;
        this.origin = origin;
        this.factory = factory;
        this.stats = stats;
        this.egressStats = egressStats;
        this.readiness = readiness;
    }

    /** Adds and starts a link to {@code uri} whose sessions use {@code config}. */
    ClusterLink link(URI uri, LinkKind kind, SessionConfig config) {
        EventLoopGroup g;
        synchronized (this) {
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(1,
                        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            }
            g = group;
        }
        ClientOptions client = new ClientOptions(g, List.of(LINK_PROTOCOL), options.insecure(),
                options.certificateHashes(), 10_000);
        URI dial = uri;
        if (options.token() != null && !options.token().isEmpty()) {
            dial = URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "jwt=" + options.token());
        }
        ClusterLink l = new ClusterLink(dial, kind, origin, config, factory, client, stats, egressStats,
                Duration.ofMillis(200), Duration.ofSeconds(10));
        links.add(l);
        if (kind == LinkKind.UPSTREAM) {
            Readiness.Check check = readiness.register("upstream " + uri, false);
            checks.add(check);
            l.onStateChange(up -> {
                if (up) {
                    check.ready();
                } else {
                    check.notReady("link to " + uri + " is down");
                }
            });
        }
        return l.start();
    }

    List<ClusterLink> list() {
        return List.copyOf(links);
    }

    /** Stops re-dialing and closes every link's session. */
    void closeLinks() {
        for (ClusterLink l : links) {
            l.close();
        }
    }

    /** Drops the readiness checks and stops the links' event loop. After {@link #closeLinks()}. */
    void release() {
        for (Readiness.Check c : checks) {
            c.close();
        }
        EventLoopGroup g;
        synchronized (this) {
            g = group;
        }
        if (g != null) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
