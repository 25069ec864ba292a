package dev.jmoq.relay.admin;

import dev.jmoq.core.model.Origin;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP listener: health, readiness, Prometheus metrics, the announced broadcasts and the dashboard, on its own
 * single-threaded event loop so a slow scrape never delays media. Plain HTTP/1.1 without authentication:
 * bind it to loopback (the default) or a private network.
 *
 * <p>{@link #start} binds and returns; {@link #close()} is idempotent and safe from any thread.
 */
public final class AdminServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("jmoq.admin");
    /** Requests are GETs without bodies; anything larger is refused. */
    static final int MAX_REQUEST_BYTES = 8192;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ChannelGroup connections;

    private AdminServer(EventLoopGroup group, Channel channel, ChannelGroup connections) {
        this.group = group;
        this.channel = channel;
        this.connections = connections;
    }

    /** Binds {@code options.host():options.port()} and serves until closed. */
    public static AdminServer start(AdminOptions options, RelayMetrics metrics, Readiness readiness, Origin origin) {
        return start(options, metrics, readiness, origin, null);
    }

    /**
     * Binds and serves until closed; requests for other paths go to {@code pages} (the dashboard and its data,
     * {@link dev.jmoq.relay.pages.PagesHandler}) when it is not null.
     */
    public static AdminServer start(AdminOptions options, RelayMetrics metrics, Readiness readiness, Origin origin,
            dev.jmoq.relay.pages.PagesHandler pages) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "jmoq-admin");
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        AdminHandler handler = new AdminHandler(metrics, readiness, origin, pages);
        // Open keep-alive connections are closed with the listener, so no client waits on a dead relay.
        ChannelGroup connections = new DefaultChannelGroup("jmoq-admin", group.next());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            connections.add(c);
                            c.pipeline().addLast(new HttpServerCodec(MAX_REQUEST_BYTES, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES),
                                    new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                        }
                    })
                    .bind(new InetSocketAddress(options.host(), options.port())).syncUninterruptibly().channel();
            AdminServer server = new AdminServer(group, ch, connections);
            LOG.log(System.Logger.Level.INFO, "event=admin_started address=" + options.host() + ":" + server.port());
            return server;
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot bind admin listener " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The bound TCP port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
