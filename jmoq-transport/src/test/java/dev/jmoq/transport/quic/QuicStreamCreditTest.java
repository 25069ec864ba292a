package dev.jmoq.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.tls.ServerCertificate;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that grants few concurrent unidirectional streams (initial_max_streams_uni = 10, as browsers and
 * quic-go cap incoming streams): a sender that opens far more streams than that, all at once, gets every
 * one of them through as the peer's credit returns. Before stream opens waited for credit, each open past
 * the limit was refused and burned a stream id, so the sender never opened a stream again.
 */
class QuicStreamCreditTest {
    private static final int PEER_MAX_STREAMS_UNI = 10;
    private static final int STREAMS = 300;

    private QuicServer server;
    private EventLoopGroup clientGroup;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (clientGroup != null) {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void everyStreamOpensAsThePeersCreditReturns() throws Exception {
        AtomicInteger openFailures = new AtomicInteger();
        server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> {
                    c.setHandler(new ConnectionHandler() {
                        @Override
                        public void onBidiStream(BidiStream stream) {
                        }

                        @Override
                        public void onUniStream(RecvStream stream) {
                        }

                        @Override
                        public void onClosed(long code, String reason) {
                        }
                    });
                    for (int i = 0; i < STREAMS; i++) {
                        byte b = (byte) i;
                        c.openUni().addListener(f -> {
                            if (f.isSuccess()) {
                                ((SendStream) f.getNow()).writeAndFinish(Unpooled.wrappedBuffer(new byte[] {b}));
                            } else {
                                openFailures.incrementAndGet();
                            }
                        });
                    }
                }, 1, 30_000));
        clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicInteger finished = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        Channel udp = new Bootstrap().group(clientGroup).channel(NioDatagramChannel.class)
                .handler(new QuicClientCodecBuilder()
                        .sslContext(QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                                .applicationProtocols("moq-lite-04").build())
                        .maxIdleTimeout(30, TimeUnit.SECONDS)
                        .initialMaxData(16 << 20)
                        .initialMaxStreamDataUnidirectional(1 << 20)
                        .initialMaxStreamsUnidirectional(PEER_MAX_STREAMS_UNI)
                        .build())
                .bind(0).sync().channel();
        QuicChannel quic = QuicChannel.newBootstrap(udp)
                .remoteAddress(new InetSocketAddress("127.0.0.1", server.port()))
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ((ByteBuf) msg).release();
                            }

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof ChannelInputShutdownReadComplete
                                        && finished.incrementAndGet() == STREAMS) {
                                    all.complete(null);
                                }
                            }
                        });
                    }
                })
                .connect().get(10, TimeUnit.SECONDS);
        try {
            all.get(30, TimeUnit.SECONDS);
            assertEquals(STREAMS, finished.get());
            assertEquals(0, openFailures.get(), "no open was refused");
        } finally {
            quic.close().sync();
            udp.close().sync();
        }
    }
}
