package dev.jmoq.relay.pages;

import dev.jmoq.relay.admin.Dashboard;
import dev.jmoq.relay.admin.DashboardSources;
import dev.jmoq.relay.auth.AuthOptions;
import java.time.Clock;

/**
 * The relay's pages and live dashboard, put together: loads the bundle, starts the dashboard's ticker, and
 * gives the handler for the public TCP port (pages, players, and the data behind {@link DashboardAccess})
 * and the one for the admin listener (dashboard and data, no token: it trusts whoever reaches it).
 *
 * <p>{@link #start} from the relay's start; {@link #close()} (idempotent) from its shutdown. Thread-safe.
 */
public final class RelayPages implements AutoCloseable {
    private final Dashboard dashboard;
    private final PagesHandler publicHandler;
    private final PagesHandler adminHandler;

    private RelayPages(Dashboard dashboard, PagesHandler publicHandler, PagesHandler adminHandler) {
        this.dashboard = dashboard;
        this.publicHandler = publicHandler;
        this.adminHandler = adminHandler;
    }

    /**
     * Loads the pages and starts the dashboard over {@code sources}.
     *
     * @throws IllegalStateException    the bundle is missing from the class path
     * @throws IllegalArgumentException the auth key cannot be read
     */
    public static RelayPages start(AuthOptions auth, DashboardSources sources) {
        PageAssets assets = PageAssets.load(RelayPages.class.getClassLoader());
        DashboardAccess access = DashboardAccess.of(auth, Clock.systemUTC());
        Dashboard dashboard = new Dashboard(sources, System::currentTimeMillis).start();
        return new RelayPages(dashboard, new PagesHandler(assets, dashboard, access, true),
                new PagesHandler(assets, dashboard, null, false));
    }

    /** For the public TCP port (after {@code /certificate.sha256} and WebSocket upgrades). */
    public PagesHandler publicHandler() {
        return publicHandler;
    }

    /** For the admin listener: the dashboard and its data, without the players. */
    public PagesHandler adminHandler() {
        return adminHandler;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    @Override
    public void close() {
        dashboard.close();
    }
}
