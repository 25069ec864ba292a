package dev.jmoq.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.testkit.Await;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.TransportStats.StreamDirection;
import dev.jmoq.transport.tls.ServerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A QUIC stream lives until each half it has is done, however each half ends, and not until its connection
 * ends: received unidirectional streams ended by FIN, by the peer's reset or by our STOP_SENDING; our own
 * unidirectional streams ended by FIN or reset; bidirectional streams ended by resets both ways. Each is
 * closed, uncounted from {@code TransportStats#streamsOpen}, and gone from Netty's per-connection stream map
 * (read by reflection: Netty exposes no count, and {@code QuicStreamRelease} exists to empty that map), while
 * the connection stays open.
 */
class QuicStreamLifetimeTest {
    private static final int EACH = 8;

    private final TransportStats stats = new TransportStats();
    private final CompletableFuture<MoqConnection> serverSide = new CompletableFuture<>();
    private final AtomicInteger uniAccepted = new AtomicInteger();
    private final AtomicInteger bidiAccepted = new AtomicInteger();
    private QuicServer server;
    private EventLoopGroup clientGroup;
    private MoqConnection client;

    @BeforeEach
    void start() throws Exception {
        server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), this::accept, 1, 30_000)
                .withBounds(ServerOptions.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, ServerOptions.DEFAULT_MAX_STREAMS, stats));
        clientGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        client = QuicClient.connect(URI.create("moqt://127.0.0.1:" + server.port() + "/"),
                new ClientOptions(clientGroup, List.of("moq-lite-04"), true, List.of(), 10_000)).get(10, TimeUnit.SECONDS);
        client.eventLoop().submit(() -> client.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.stopSending(0);
                stream.reset(0);
            }

            @Override
            public void onUniStream(RecvStream stream) {
                stream.setReader(new DrainReader());
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        })).get(10, TimeUnit.SECONDS);
        serverSide.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        client.close(0, "done");
        server.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The server: a uni stream whose first byte is {@code S} is stopped (STOP_SENDING 7) at its first bytes,
     * any other is read to its end; a bidi stream is answered with a reset when the peer resets it, and
     * echoed and finished when it finishes.
     */
    private void accept(MoqConnection c) {
        c.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream s) {
                bidiAccepted.incrementAndGet();
                s.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        s.write(data);
                    }

                    @Override
                    public void onFinish() {
                        s.finish();
                    }

                    @Override
                    public void onReset(long code) {
                        s.reset(code);
                    }
                });
            }

            @Override
            public void onUniStream(RecvStream s) {
                uniAccepted.incrementAndGet();
                s.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        boolean stop = data.getByte(data.readerIndex()) == 'S';
                        data.release();
                        if (stop) {
                            s.stopSending(7);
                        }
                    }

                    @Override
                    public void onFinish() {
                    }

                    @Override
                    public void onReset(long code) {
                    }
                });
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        });
        serverSide.complete(c);
    }

    @Test
    void everyStreamIsReleasedWhenItsHalvesAreDoneWhileTheConnectionStaysOpen() throws Exception {
        MoqConnection s = serverSide.get();
        for (int i = 0; i < EACH; i++) {
            SendStream fin = openUni(client);
            client.eventLoop().execute(() -> fin.writeAndFinish(bytes("F: a whole group, then FIN")));
            SendStream reset = openUni(client);
            client.eventLoop().execute(() -> {
                reset.write(bytes("R: half a group"));
                reset.flush();
                reset.reset(3);
            });
            SendStream stopped = openUni(client);
            client.eventLoop().execute(() -> {
                stopped.write(bytes("S: the server does not want this"));
                stopped.flush();
            });
            BidiStream bidi = openBidi(client);
            client.eventLoop().execute(() -> {
                bidi.write(bytes("B"));
                bidi.flush();
                bidi.reset(4);
                bidi.stopSending(4);
            });
        }
        // The server's own uni streams: one finished, one reset (as the relay's egress finishes or drops a group).
        for (int i = 0; i < EACH; i++) {
            SendStream fin = openUni(s);
            s.eventLoop().execute(() -> fin.writeAndFinish(bytes("a group to the client")));
            SendStream reset = openUni(s);
            s.eventLoop().execute(() -> {
                reset.write(bytes("a lagging group"));
                reset.flush();
                reset.reset(26);
            });
        }
        Await.until("the server accepted every stream", () -> uniAccepted.get() >= 3 * EACH && bidiAccepted.get() >= EACH);
        Await.until("no stream counted open at the server", () -> open(StreamDirection.IN, true) == 0
                && open(StreamDirection.IN, false) == 0 && open(StreamDirection.OUT, true) == 0);
        QuicChannel serverChannel = ((QuicMoqConnection) s).channel();
        Await.until("Netty's stream map of the server's connection is empty (" + NettyStreams.count(serverChannel) + " left)",
                () -> NettyStreams.count(serverChannel) == 0);
        assertEquals(3 * EACH, uniAccepted.get(), "no stream was delivered twice");
        assertEquals(EACH, bidiAccepted.get());
        assertTrue(s.isOpen() && client.isOpen(), "the connection is still open");
    }

    private long open(StreamDirection direction, boolean uni) {
        return stats.streamsOpen(TransportKind.QUIC, direction, uni);
    }

    private static SendStream openUni(MoqConnection c) throws Exception {
        return c.openUni().get(10, TimeUnit.SECONDS);
    }

    private static BidiStream openBidi(MoqConnection c) throws Exception {
        return c.openBidi().get(10, TimeUnit.SECONDS);
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
