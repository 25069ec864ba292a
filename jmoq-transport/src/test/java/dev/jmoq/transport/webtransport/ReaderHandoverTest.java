package dev.jmoq.transport.webtransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.TransportStats.StreamDirection;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.quic.QuicServer;
import dev.jmoq.transport.quic.QuicStream;
import dev.jmoq.transport.tls.ServerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.quic.QuicStreamType;
import dev.jmoq.wire.VarInt;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A WebTransport stream's first bytes arrive with its prefix, so they wait in the stream until the session's
 * reader is set, and {@code setReader} hands them over. A reader may, inside that hand-over, stop the stream
 * (the group ingest does for a group it refuses: too old, a duplicate, an unknown subscription) or set the
 * next reader: the rest of the stream's events then go to the reader that is current, once, in order, and
 * nothing escapes into the connection's pipeline. (Under load, the stop inside the hand-over threw a
 * NullPointerException per refused group out of the session's stream callback.)
 */
class ReaderHandoverTest {
    /** True while the server's session is inside {@code setReader}: a reader's first bytes must come from there. */
    private final java.util.concurrent.atomic.AtomicBoolean inSetReader = new java.util.concurrent.atomic.AtomicBoolean();
    private final TransportStats stats = new TransportStats();
    private EventLoopGroup group;
    private QuicServer server;
    private MoqConnection client;

    /** Events a reader saw, in order: "data:<text>", "fin", "reset:<code>". */
    private static final class Log implements StreamReader {
        final StringBuilder events = new StringBuilder();
        final CompletableFuture<String> ended = new CompletableFuture<>();

        @Override
        public void onData(ByteBuf data) {
            events.append("data:").append(data.toString(StandardCharsets.UTF_8)).append(' ');
            data.release();
        }

        @Override
        public void onFinish() {
            events.append("fin");
            ended.complete(events.toString());
        }

        @Override
        public void onReset(long code) {
            events.append("reset:").append(code);
            ended.complete(events.toString());
        }
    }

    /**
     * Starts a server whose session gives each uni stream the reader {@code readerFor} makes, and sends one
     * uni stream "abc" with FIN, prefix and bytes in one write; completes with "ok" once setReader returned, or with what it threw.
     */
    private CompletableFuture<String> sendOneStream(Function<RecvStream, StreamReader> readerFor) throws Exception {
        CompletableFuture<String> setReader = new CompletableFuture<>();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> c.setHandler(new ConnectionHandler() {
                    @Override
                    public void onBidiStream(BidiStream s) {
                        s.reset(0);
                    }

                    @Override
                    public void onUniStream(RecvStream s) {
                        try {
                            StreamReader r = readerFor.apply(s);
                            inSetReader.set(true);
                            s.setReader(r);
                            inSetReader.set(false);
                            setReader.complete("ok");
                        } catch (Throwable t) {
                            setReader.completeExceptionally(t);
                        }
                    }

                    @Override
                    public void onClosed(long code, String reason) {
                    }
                }), 1, 30_000).withBounds(10_000, 100, stats), new WebTransportServer());
        client = WebTransportClient.connect(URI.create("https://127.0.0.1:" + server.port() + "/s"),
                new ClientOptions(group, List.of("moq-lite-04"), true, List.of(), 10_000)).get(10, TimeUnit.SECONDS);
        // The stream's WebTransport prefix and its bytes in one write, so that they arrive in one read.
        QuicStream s = QuicStream.open(((WebTransportSession) client).h3Channel(), QuicStreamType.UNIDIRECTIONAL)
                .get(10, TimeUnit.SECONDS);
        client.eventLoop().execute(() -> {
            ByteBuf b = Unpooled.buffer();
            VarInt.write(b, H3.STREAM_WT_UNI);
            VarInt.write(b, ((WebTransportSession) client).sessionId());
            b.writeCharSequence("abc", StandardCharsets.UTF_8);
            s.writeAndFinish(b);
        });
        return setReader;
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close(0, "done");
        }
        if (server != null) {
            server.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aReaderThatStopsTheStreamInsideTheHandOverGetsNothingMore() throws Exception {
        Log log = new Log();
        CompletableFuture<Boolean> handedOver = new CompletableFuture<>();
        CompletableFuture<String> stopped = new CompletableFuture<>();
        CompletableFuture<String> setReader = sendOneStream(stream -> new StreamReader() {
            @Override
            public void onData(ByteBuf data) {
                handedOver.complete(inSetReader.get());
                log.onData(data);
                stream.stopSending(5);
                stopped.complete(log.events.toString());
            }

            @Override
            public void onFinish() {
                log.onFinish();
            }

            @Override
            public void onReset(long code) {
                log.onReset(code);
            }
        });
        assertEquals("ok", setReader.get(10, TimeUnit.SECONDS));
        assertTrue(handedOver.get(10, TimeUnit.SECONDS), "the bytes were queued and handed over by setReader");
        assertEquals("data:abc ", stopped.get(10, TimeUnit.SECONDS));
        // No FIN after the reader's own stop: the FIN was queued with the bytes, so setReader would have
        // delivered it before returning ("ok" above), and it did not.
        assertEquals("data:abc ", log.events.toString());
    }

    @Test
    void aReaderThatHandsTheStreamOnInsideTheHandOverPassesTheRestToTheNextReaderOnce() throws Exception {
        Log first = new Log();
        Log next = new Log();
        CompletableFuture<Boolean> handedOver = new CompletableFuture<>();
        CompletableFuture<String> setReader = sendOneStream(stream -> new StreamReader() {
            @Override
            public void onData(ByteBuf data) {
                handedOver.complete(inSetReader.get());
                first.onData(data);
                stream.setReader(next);
            }

            @Override
            public void onFinish() {
                first.onFinish();
            }

            @Override
            public void onReset(long code) {
                first.onReset(code);
            }
        });
        assertEquals("ok", setReader.get(10, TimeUnit.SECONDS));
        assertTrue(handedOver.get(10, TimeUnit.SECONDS), "the bytes were queued and handed over by setReader");
        assertEquals("fin", next.ended.get(10, TimeUnit.SECONDS));
        assertEquals("data:abc ", first.events.toString());
    }

    @Test
    void aReaderThatThrowsInsideTheHandOverEndsTheStreamAndTheCallerGetsTheException() throws Exception {
        CompletableFuture<String> setReader = sendOneStream(stream -> new StreamReader() {
            @Override
            public void onData(ByteBuf data) {
                data.release();
                throw new IllegalStateException("reader failed");
            }

            @Override
            public void onFinish() {
            }

            @Override
            public void onReset(long code) {
            }
        });
        java.util.concurrent.ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> setReader.get(10, TimeUnit.SECONDS));
        assertEquals("reader failed", thrown.getCause().getMessage());
        // The receive half is over (its queued FIN dropped, the peer asked to stop), so the stream is released.
        Await.until("the stream is released", () -> stats.streamsOpen(TransportKind.WEBTRANSPORT, StreamDirection.IN, true) == 0);
    }
}
