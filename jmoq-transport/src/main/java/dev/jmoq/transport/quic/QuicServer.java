package dev.jmoq.transport.quic;

import dev.jmoq.transport.ServerOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicCodecDispatcher;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The UDP listener for raw QUIC (MoQ ALPNs) and WebTransport (ALPN {@code h3}).
 *
 * <p>With epoll and more than one event loop, one datagram channel per loop is bound to the same port
 * with SO_REUSEPORT and a {@link QuicCodecDispatcher} routes each packet by connection ID to the loop
 * that owns the connection, so every core serves connections. Otherwise one channel serves all.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, once or more.
 */
public final class QuicServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("jmoq.quic");
    /**
     * The UDP socket's queue marks: above Netty's 64 KiB default, so that one merged batch does not flip the
     * socket unwritable (the QUIC codec then visits every connection on the socket when it turns back).
     */
    private static final WriteBufferWaterMark UDP_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final int port;

    private QuicServer(EventLoopGroup group, List<Channel> channels, int port) {
        this.group = group;
        this.channels = channels;
        this.port = port;
    }

    /** Binds without WebTransport: connections negotiating h3 are refused. */
    public static QuicServer start(ServerOptions options) {
        return start(options, null);
    }

    /** Binds; {@code h3} takes connections that negotiate ALPN h3 (null refuses them). */
    public static QuicServer start(ServerOptions options, H3Acceptor h3) {
        int loops = options.eventLoops() > 0 ? options.eventLoops() : Runtime.getRuntime().availableProcessors();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            List<String> alpns = new ArrayList<>(options.protocols());
            if (h3 != null) {
                alpns.add("h3");
            }
            Object tlsKey = new Object();
            // One TLS context per certificate, looked up per connection: a rotated certificate applies to
            // new connections at once.
            java.util.function.Supplier<QuicSslContext> ssl = () -> options.certificates().derive(tlsKey, cert ->
                    QuicSslContextBuilder.forServer(cert.privateKey(), null, cert.chain().toArray(X509Certificate[]::new))
                            .applicationProtocols(alpns.toArray(String[]::new))
                            .earlyData(false)
                            .build());
            ssl.get(); // fail at start on a bad certificate
            List<Channel> channels = new ArrayList<>();
            int port = options.bind().getPort();
            if (epoll && loops > 1) {
                ChannelHandler dispatcher = new QuicCodecDispatcher() {
                    @Override
                    protected void initChannel(Channel channel, int localConnectionIdLength,
                            QuicConnectionIdGenerator idGenerator) {
                        channel.pipeline().addFirst(batchedSends());
                        channel.pipeline().addLast(codec(options, ssl, h3, true)
                                .localConnectionIdLength(localConnectionIdLength)
                                .connectionIdAddressGenerator(idGenerator)
                                .build());
                    }
                };
                for (int i = 0; i < loops; i++) {
                    Channel ch = QuicSettings.udpSocketOptions(new Bootstrap(), true).group(group).channel(EpollDatagramChannel.class)
                            .option(EpollChannelOption.SO_REUSEPORT, true)
                            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                            .handler(dispatcher)
                            .bind(new InetSocketAddress(options.bind().getAddress(), port)).sync().channel();
                    port = ((InetSocketAddress) ch.localAddress()).getPort();
                    channels.add(ch);
                }
            } else {
                Channel ch = QuicSettings.udpSocketOptions(new Bootstrap(), epoll).group(group)
                        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel udp) {
                                udp.pipeline().addLast(batchedSends(), codec(options, ssl, h3, epoll).build());
                            }
                        })
                        .bind(options.bind()).sync().channel();
                port = ((InetSocketAddress) ch.localAddress()).getPort();
                channels.add(ch);
            }
            LOG.log(System.Logger.Level.INFO, "event=quic_listening address=" + options.bind().getAddress().getHostAddress()
                    + ":" + port + " channels=" + channels.size() + " transport=" + (epoll ? "epoll" : "nio")
                    + " alpn=" + String.join(",", alpns) + " udp_receive_buffer=" + receiveBuffer(channels.get(0))
                    + " udp_messages_per_read=" + QuicSettings.MAX_MESSAGES_PER_READ
                    + (QuicSettings.segmentedAllocator(epoll) != null ? " gso_segments=" + QuicSettings.GSO_SEGMENTS : "")
                    + (epoll && QuicSettings.RECVMMSG > 1 ? " recvmmsg=" + QuicSettings.RECVMMSG : ""));
            return new QuicServer(group, channels, port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("interrupted while binding " + options.bind(), e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot bind QUIC on " + options.bind() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sits between the UDP socket and the QUIC codec and merges the codec's flushes within one event-loop
     * pass: the codec flushes after every stream write, once per connection, so a group fanned out to N
     * subscribers on this loop would cost N send system calls; merged, their packets leave in one
     * {@code sendmmsg} when the pass's tasks are done (microseconds later, no timer).
     */
    private static ChannelHandler batchedSends() {
        return new FlushConsolidationHandler(QuicSettings.FLUSH_BATCH, true);
    }

    private static QuicServerCodecBuilder codec(ServerOptions options, java.util.function.Supplier<QuicSslContext> ssl,
            H3Acceptor h3, boolean epoll) {
        QuicServerCodecBuilder builder = new QuicServerCodecBuilder();
        io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator gso = QuicSettings.segmentedAllocator(epoll);
        if (gso != null) {
            builder.option(io.netty.handler.codec.quic.QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso);
        }
        return QuicSettings.apply(builder, options.maxIdleTimeoutMillis(), options.maxStreams())
                .sslEngineProvider(ch -> ssl.get().newEngine(ch.alloc()))
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        ch.attr(EARLY_STREAMS).set(new java.util.ArrayList<>());
                        ch.pipeline().addLast(new Handshake(options, h3));
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        java.util.List<QuicStreamChannel> early = ch.parent().attr(EARLY_STREAMS).get();
                        if (early != null) {
                            // The peer's first streams can come with the packet that completes the
                            // handshake, before it is routed: hold them until it is.
                            ch.config().setAutoRead(false);
                            early.add(ch);
                            return;
                        }
                        route(ch, h3);
                    }
                });
    }

    /** Streams the peer opened before the handshake completed, held until the connection is routed. */
    private static final io.netty.util.AttributeKey<java.util.List<QuicStreamChannel>> EARLY_STREAMS =
            io.netty.util.AttributeKey.valueOf("jmoq.quic.early-streams");

    private static void route(QuicStreamChannel ch, H3Acceptor h3) {
        QuicMoqConnection conn = QuicMoqConnection.of(ch);
        if (conn != null) {
            conn.onPeerStream(ch);
        } else if (h3 != null && ch.parent().attr(H3_ROUTED).get() != null) {
            h3.onStream(ch);
        } else {
            ch.close();
        }
    }

    private static final io.netty.util.AttributeKey<Boolean> H3_ROUTED = io.netty.util.AttributeKey.valueOf("jmoq.quic.h3");

    /** Waits for the handshake, then routes the connection by ALPN. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final ServerOptions options;
        private final H3Acceptor h3;

        Handshake(ServerOptions options, H3Acceptor h3) {
            this.options = options;
            this.h3 = h3;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            QuicChannel ch = (QuicChannel) ctx.channel();
            String alpn = ch.sslEngine() == null ? null : ch.sslEngine().getApplicationProtocol();
            ctx.pipeline().remove(this);
            java.util.List<QuicStreamChannel> early = ch.attr(EARLY_STREAMS).getAndSet(null);
            if ("h3".equals(alpn) && h3 != null) {
                ch.attr(H3_ROUTED).set(Boolean.TRUE);
                h3.onConnection(ch, options);
            } else if (alpn != null && options.protocols().contains(alpn)) {
                QuicMoqConnection conn = new QuicMoqConnection(ch, alpn, options.maxIdleTimeoutMillis(), options.stats());
                ch.pipeline().addLast(conn);
                options.acceptor().onConnection(conn);
            } else {
                ch.close(true, 0x178 /* no application protocol */, io.netty.buffer.Unpooled.EMPTY_BUFFER);
            }
            ctx.fireChannelActive();
            if (early != null) {
                for (QuicStreamChannel s : early) {
                    route(s, h3);
                    s.config().setAutoRead(true);
                }
            }
        }
    }

    /** The bound UDP port. */
    public int port() {
        return port;
    }

    /**
     * The receive buffer the kernel granted each UDP socket, bytes: on Linux twice
     * {@code min(jmoq.quic.socketBufferBytes, net.core.rmem_max)}.
     */
    public int udpReceiveBufferBytes() {
        return ((io.netty.channel.socket.DatagramChannel) channels.get(0)).config().getReceiveBufferSize();
    }

    /**
     * Each UDP socket's channel configuration (for tests: the read allocator of {@link QuicSettings#udpSocketOptions}
     * and, with epoll, the maximum datagram size that turns on {@code recvmmsg}).
     */
    List<io.netty.channel.ChannelConfig> udpSocketConfigs() {
        return channels.stream().map(Channel::config).toList();
    }

    /** Closes the listeners and every connection. Idempotent. */
    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * The UDP socket's receive buffer as the kernel granted it, bytes (Linux reports twice the request,
     * capped by {@code net.core.rmem_max}); a warning names the sysctl when it is below what was asked.
     */
    private static int receiveBuffer(Channel udp) {
        int granted = ((io.netty.channel.socket.DatagramChannel) udp).config().getReceiveBufferSize();
        if (QuicSettings.SOCKET_BUFFER > 0 && granted < QuicSettings.SOCKET_BUFFER) {
            LOG.log(System.Logger.Level.WARNING, "event=udp_buffer_capped asked=" + QuicSettings.SOCKET_BUFFER
                    + " granted=" + granted + " hint=\"sysctl -w net.core.rmem_max=" + QuicSettings.SOCKET_BUFFER
                    + " net.core.wmem_max=" + QuicSettings.SOCKET_BUFFER + "\"");
        }
        return granted;
    }
}
