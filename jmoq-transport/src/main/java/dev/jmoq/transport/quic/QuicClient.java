package dev.jmoq.transport.quic;

import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.tls.PinnedTrustManager;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Dials raw QUIC ({@code moqt://host:port/path}), offering the MoQ ALPNs of {@link ClientOptions}. Each
 * connection gets its own UDP socket on one of the group's event loops, or, with
 * {@link ClientOptions#shareUdpSockets()}, shares one per loop and TLS context ({@link SharedSockets}).
 * Thread-safe.
 */
public final class QuicClient {
    private QuicClient() {
    }

    /** The idle timeout a client offers (the connection uses the smaller of both ends'). */
    public static final long CLIENT_IDLE_TIMEOUT_MILLIS = 30_000;

    /** Streams the server opened before our side of the handshake completed, held until it has. */
    private static final io.netty.util.AttributeKey<java.util.List<QuicStreamChannel>> EARLY_STREAMS =
            io.netty.util.AttributeKey.valueOf("jmoq.quic.client-early-streams");

    /** Completes with the connection once the handshake is done and an ALPN was chosen. */
    public static Future<MoqConnection> connect(URI uri, ClientOptions options) {
        EventLoop loop = options.group().next();
        Promise<MoqConnection> result = loop.newPromise();
        Future<QuicChannel> dial = dial(uri, options, options.protocols(), loop, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                // The server's first stream (IETF drafts 17+: its SETUP) can arrive before the dial's listener
                // has run (when the handshake completed before the caller added it, the listener runs as a
                // later task): the connection is made here then, and holds the stream for its session.
                connection(ch.parent()).onPeerStream(ch);
            }
        });
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                result.tryFailure(f.cause());
                return;
            }
            result.trySuccess(connection(dial.getNow()));
        });
        return result;
    }

    /** The raw MoQ connection over {@code ch}, made on first need. On {@code ch}'s event loop. */
    private static QuicMoqConnection connection(QuicChannel ch) {
        QuicMoqConnection conn = ch.attr(QuicMoqConnection.KEY).get();
        if (conn == null) {
            conn = new QuicMoqConnection(ch, ch.sslEngine().getApplicationProtocol(), CLIENT_IDLE_TIMEOUT_MILLIS, null);
            ch.pipeline().addLast(conn);
        }
        return conn;
    }

    /**
     * Dials a QUIC connection offering {@code alpns} and completes with the channel once its handshake is
     * done. Streams the peer opens go to {@code streamHandler}. Never blocks the calling thread, so it may
     * run on an event loop.
     */
    public static Future<QuicChannel> dial(URI uri, ClientOptions options, List<String> alpns, EventLoop loop,
            ChannelHandler streamHandler) {
        Promise<QuicChannel> result = loop.newPromise();
        try {
            QuicSslContext context = sslContext(options, alpns);
            int port = uri.getPort() > 0 ? uri.getPort() : 443;
            InetSocketAddress remote = new InetSocketAddress(uri.getHost(), port);
            boolean epoll = loop instanceof io.netty.channel.IoEventLoop io && io.isIoType(EpollIoHandler.class);
            boolean shared = options.shareUdpSockets();
            Future<Channel> bound = shared ? SharedSockets.socket(loop, context, epoll) : bind(loop, context, epoll, false);
            bound.addListener(b -> {
                if (!b.isSuccess()) {
                    result.tryFailure(b.cause());
                    return;
                }
                Channel udp = bound.getNow();
                QuicChannel[] pending = new QuicChannel[1];
                handshake(udp, remote, result, streamHandler, QuicSettings.segmentedAllocator(epoll), !shared, pending);
                loop.schedule(() -> {
                    if (result.tryFailure(new java.util.concurrent.TimeoutException("QUIC handshake with " + remote
                            + " did not complete in " + options.connectTimeoutMillis() + " ms"))) {
                        if (!shared) {
                            udp.close();
                        } else if (pending[0] != null) {
                            // The shared socket stays for the others: end this half-open connection itself, or
                            // it would resend its Initial until the idle timeout.
                            pending[0].close();
                        }
                    }
                }, options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            });
        } catch (Exception e) {
            result.tryFailure(e);
        }
        return result;
    }

    /**
     * Binds a client UDP socket on {@code loop} with a QUIC client codec using {@code context}. With
     * {@code batched}, the codec's per-connection flushes within one loop pass leave in one {@code sendmmsg}
     * (the server's {@code FlushConsolidationHandler}), which pays only when connections share the socket.
     */
    static Future<Channel> bind(EventLoop loop, QuicSslContext context, boolean epoll, boolean batched) {
        Promise<Channel> bound = loop.newPromise();
        ChannelHandler codec = QuicSettings.apply(new QuicClientCodecBuilder(), CLIENT_IDLE_TIMEOUT_MILLIS,
                QuicSettings.MAX_STREAMS).sslContext(context).build();
        io.netty.channel.ChannelFuture f = QuicSettings.udpSocketOptions(new Bootstrap(), epoll).group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(batched ? new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel udp) {
                        udp.pipeline().addLast(new io.netty.handler.flush.FlushConsolidationHandler(
                                QuicSettings.FLUSH_BATCH, true), codec);
                    }
                } : codec)
                .bind(0);
        f.addListener(b -> {
            if (b.isSuccess()) {
                bound.trySuccess(f.channel());
            } else {
                bound.tryFailure(b.cause());
            }
        });
        return bound;
    }

    /** TLS contexts by what they trust and offer: building one per dial costs more than the handshake. */
    private static final java.util.Map<List<Object>, QuicSslContext> CONTEXTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static QuicSslContext sslContext(ClientOptions options, List<String> alpns) {
        List<Object> key = new java.util.ArrayList<>();
        key.add(List.copyOf(alpns));
        key.add(options.insecure());
        for (byte[] pin : options.certificateSha256()) {
            key.add(java.util.HexFormat.of().formatHex(pin));
        }
        QuicSslContext cached = CONTEXTS.get(key);
        if (cached != null) {
            return cached;
        }
        QuicSslContextBuilder ssl = QuicSslContextBuilder.forClient().applicationProtocols(alpns.toArray(String[]::new));
        if (options.insecure()) {
            ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (!options.certificateSha256().isEmpty()) {
            // A pinned hash is the identity: no host name check (as browsers with serverCertificateHashes).
            ssl.trustManager(new PinnedTrustManager(options.certificateSha256())).endpointIdentificationAlgorithm(null);
        }
        QuicSslContext built = ssl.build();
        if (CONTEXTS.size() >= 64) {
            CONTEXTS.clear(); // bounded: many distinct pins or ALPN lists are not a case worth caching
        }
        QuicSslContext raced = CONTEXTS.putIfAbsent(key, built);
        return raced != null ? raced : built;
    }

    /**
     * @param ownsSocket the UDP socket is this connection's alone: closed when the connection ends
     * @param pending    receives the connection's channel as soon as it exists (before its handshake)
     */
    private static void handshake(Channel udp, InetSocketAddress remote, Promise<QuicChannel> result,
            ChannelHandler streamHandler, io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator gso,
            boolean ownsSocket, QuicChannel[] pending) {
        io.netty.handler.codec.quic.QuicChannelBootstrap bootstrap = QuicChannel.newBootstrap(udp);
        if (gso != null) {
            bootstrap.option(io.netty.handler.codec.quic.QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso);
        }
        bootstrap
                .remoteAddress(remote)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        pending[0] = (QuicChannel) ctx.channel();
                        ctx.channel().attr(EARLY_STREAMS).set(new java.util.ArrayList<>());
                    }

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        QuicChannel ch = (QuicChannel) ctx.channel();
                        ctx.pipeline().remove(this);
                        java.util.List<QuicStreamChannel> early = ch.attr(EARLY_STREAMS).getAndSet(null);
                        if (!result.trySuccess(ch)) {
                            ch.close(); // timed out meanwhile
                        }
                        ctx.fireChannelActive();
                        // Streams the server opened in the flight that completed the handshake.
                        for (QuicStreamChannel s : early == null ? java.util.List.<QuicStreamChannel>of() : early) {
                            s.pipeline().addLast(streamHandler);
                            s.config().setAutoRead(true);
                        }
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel s) {
                        java.util.List<QuicStreamChannel> early = s.parent().attr(EARLY_STREAMS).get();
                        if (early != null) {
                            s.config().setAutoRead(false);
                            early.add(s);
                        } else {
                            s.pipeline().addLast(streamHandler);
                        }
                    }
                })
                .connect()
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        result.tryFailure(f.cause());
                        if (ownsSocket) {
                            udp.close();
                        }
                    } else if (ownsSocket) {
                        ((QuicChannel) f.getNow()).closeFuture().addListener(c -> udp.close());
                    }
                });
    }
}
