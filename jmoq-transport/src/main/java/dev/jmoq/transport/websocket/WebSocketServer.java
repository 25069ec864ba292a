package dev.jmoq.transport.websocket;

import dev.jmoq.transport.ServerOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The TCP listener on the QUIC port number: per connection it detects TLS, then serves plain HTTP
 * ({@code /certificate.sha256}) and WebSocket upgrades that become {@link dev.jmoq.transport.MoqConnection}s
 * handed to {@link ServerOptions#acceptor()}.
 *
 * <p>Owns its event loops (epoll when available) and shuts them down on {@link #close()}. Thread-safe.
 */
public final class WebSocketServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebSocketServer.class.getName());

    private final EventLoopGroup group;
    private final Channel listener;

    private WebSocketServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Starts listening with the default {@link QmuxSettings}, the options' idle timeout, and the options'
     * stream limit as the qmux {@code initial_max_streams_*} we advertise.
     */
    public static WebSocketServer start(ServerOptions options) throws InterruptedException {
        return start(options, QmuxSettings.defaults().withIdleTimeoutMillis(Math.max(0, options.maxIdleTimeoutMillis()))
                .withMaxStreams(options.maxStreams()));
    }

    /** Starts listening on TCP {@code options.bind()}; blocks until bound. */
    public static WebSocketServer start(ServerOptions options, QmuxSettings settings) throws InterruptedException {
        return start(options, settings, null);
    }

    /**
     * Starts listening with the default {@link QmuxSettings}; plain HTTP requests other than
     * {@code /certificate.sha256} and WebSocket upgrades go to {@code pages} (a {@code @Sharable} handler of
     * {@link io.netty.handler.codec.http.FullHttpRequest}s that answers each one), or get 404 when it is null.
     */
    public static WebSocketServer start(ServerOptions options, ChannelHandler pages) throws InterruptedException {
        return start(options, QmuxSettings.defaults().withIdleTimeoutMillis(Math.max(0, options.maxIdleTimeoutMillis())),
                pages);
    }

    /** Starts listening on TCP {@code options.bind()} with {@code pages} as above; blocks until bound. */
    public static WebSocketServer start(ServerOptions options, QmuxSettings settings, ChannelHandler pages)
            throws InterruptedException {
        if (pages != null && !pages.getClass().isAnnotationPresent(ChannelHandler.Sharable.class)) {
            throw new IllegalArgumentException("the pages handler must be @Sharable: " + pages.getClass().getName());
        }
        Object tlsKey = new Object();
        java.util.function.Supplier<SslContext> ssl = () -> options.certificates().derive(tlsKey, cert -> {
            try {
                return SslContextBuilder.forServer(cert.privateKey(), cert.chain()).build();
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot use the server certificate for TLS: " + e.getMessage(), e);
            }
        });
        ssl.get(); // fail at start, not at the first TLS connection
        int threads = options.eventLoops() > 0 ? options.eventLoops() : Runtime.getRuntime().availableProcessors();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(type)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            tcpKeepAlive(c, options.maxIdleTimeoutMillis());
                            c.pipeline().addLast("tls", new OptionalSslHandler(ssl.get()));
                            c.pipeline().addLast("http", new HttpServerCodec());
                            c.pipeline().addLast("http-aggregator", new HttpObjectAggregator(16 * 1024));
                            c.pipeline().addLast("entry", new HttpEntryHandler(options, settings));
                            if (pages != null) {
                                c.pipeline().addLast(HttpEntryHandler.NEXT, pages);
                            }
                        }
                    })
                    .bind(options.bind()).sync().channel();
            LOG.log(System.Logger.Level.INFO, "event=ws_listening address={0} transport={1}", ch.localAddress(),
                    epoll ? "epoll" : "nio");
            return new WebSocketServer(group, ch);
        } catch (Throwable e) { // also the bind error Netty rethrows unchecked (BindException, native "in use")
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * TCP keep-alive, the floor under the WebSocket idle rules ({@link Liveness}): with epoll the probes
     * start after one idle timeout of silence and give up after three unanswered probes a third of it
     * apart, so even a peer whose host vanished while we had nothing to send is dropped by the kernel within
     * about two idle timeouts. Without epoll the system defaults apply (hours).
     */
    private static void tcpKeepAlive(SocketChannel c, long idleTimeoutMillis) {
        if (idleTimeoutMillis <= 0 || !(c instanceof io.netty.channel.epoll.EpollSocketChannel)) {
            return;
        }
        int idle = (int) Math.max(1, Math.min(Integer.MAX_VALUE, idleTimeoutMillis / 1000));
        c.config().setOption(io.netty.channel.epoll.EpollChannelOption.TCP_KEEPIDLE, idle);
        c.config().setOption(io.netty.channel.epoll.EpollChannelOption.TCP_KEEPINTVL, Math.max(1, idle / 3));
        c.config().setOption(io.netty.channel.epoll.EpollChannelOption.TCP_KEEPCNT, 3);
    }

    /** The bound TCP port. */
    public int port() {
        return localAddress().getPort();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening, closes every connection and stops the event loops; waits for them. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
