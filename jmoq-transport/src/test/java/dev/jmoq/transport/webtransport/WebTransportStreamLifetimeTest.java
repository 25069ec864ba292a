package dev.jmoq.transport.webtransport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.testkit.Await;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.TransportStats.StreamDirection;
import dev.jmoq.transport.quic.DrainReader;
import dev.jmoq.transport.quic.NettyStreams;
import dev.jmoq.transport.quic.QuicServer;
import dev.jmoq.transport.quic.QuicStream;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebTransport streams are released when they end, not when the connection does: the session's own uni
 * streams (finished, or reset, which may happen before the server read their prefix) and HTTP/3 uni streams of
 * a type the server only drains (a reserved type, with FIN) leave the server's QUIC connection, which keeps
 * only what it held before (control streams and the CONNECT stream).
 */
class WebTransportStreamLifetimeTest {
    private static final int EACH = 6;

    private final TransportStats stats = new TransportStats();
    private final CompletableFuture<MoqConnection> accepted = new CompletableFuture<>();
    private final AtomicInteger sessionStreams = new AtomicInteger();
    private EventLoopGroup group;
    private QuicServer server;
    private MoqConnection client;

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> {
                    c.setHandler(new ConnectionHandler() {
                        @Override
                        public void onBidiStream(BidiStream s) {
                            s.stopSending(0);
                            s.reset(0);
                        }

                        @Override
                        public void onUniStream(RecvStream s) {
                            sessionStreams.incrementAndGet();
                            s.setReader(new DrainReader());
                        }

                        @Override
                        public void onClosed(long code, String reason) {
                        }
                    });
                    accepted.complete(c);
                }, 1, 30_000).withBounds(10_000, 100, stats), new WebTransportServer());
        client = WebTransportClient.connect(URI.create("https://127.0.0.1:" + server.port() + "/s"),
                new ClientOptions(group, List.of("moq-lite-04"), true, List.of(), 10_000)).get(10, TimeUnit.SECONDS);
        client.eventLoop().submit(() -> client.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream s) {
                s.stopSending(0);
                s.reset(0);
            }

            @Override
            public void onUniStream(RecvStream s) {
                s.stopSending(0);
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        })).get(10, TimeUnit.SECONDS);
        accepted.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        client.close(0, "done");
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void sessionStreamsAndDrainedHttp3StreamsAreReleasedWhenTheyEnd() throws Exception {
        QuicChannel serverConnection = ((WebTransportSession) accepted.get()).h3Channel();
        QuicChannel clientConnection = ((WebTransportSession) client).h3Channel();
        int before = NettyStreams.count(serverConnection);
        for (int i = 0; i < EACH; i++) {
            SendStream fin = client.openUni().get(10, TimeUnit.SECONDS);
            client.eventLoop().execute(() -> fin.writeAndFinish(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
            SendStream reset = client.openUni().get(10, TimeUnit.SECONDS);
            client.eventLoop().execute(() -> {
                reset.write(Unpooled.wrappedBuffer(new byte[] {4, 5}));
                reset.flush();
                reset.reset(9);
            });
            // An HTTP/3 uni stream of a reserved type (0x21), which the server only drains, then FIN.
            QuicStream h3 = (QuicStream) QuicStream.open(clientConnection, QuicStreamType.UNIDIRECTIONAL)
                    .get(10, TimeUnit.SECONDS);
            client.eventLoop().execute(() -> {
                ByteBuf b = Unpooled.buffer();
                VarInt.write(b, 0x21);
                b.writeBytes(new byte[] {7, 7, 7});
                h3.writeAndFinish(b);
            });
        }
        // A reset may overtake the stream's WebTransport prefix: then the stream never reaches the session.
        Await.until("the server's session got the finished streams", () -> sessionStreams.get() >= EACH);
        Await.until("no session stream counted open", () -> stats.streamsOpen(TransportKind.WEBTRANSPORT, StreamDirection.IN, true) == 0);
        Await.until("the server's connection holds only the streams it held before (" + before + ", now "
                + NettyStreams.count(serverConnection) + ")", () -> NettyStreams.count(serverConnection) == before);
        assertTrue(client.isOpen() && accepted.get().isOpen(), "the session is still open");
    }
}
