package dev.jmoq.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.tls.ServerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A session with no traffic at all outlives the idle timeout: the keep-alive DATAGRAMs hold it open. */
class QuicKeepAliveTest {
    @Test
    void aQuietConnectionOutlivesSeveralIdleTimeouts() throws Exception {
        CompletableFuture<Long> serverSawClose = new CompletableFuture<>();
        QuicServer server = QuicServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", 0),
                ServerCertificate.selfSigned(List.of("localhost")), List.of("moq-lite-04"), c -> c.setHandler(
                        new ConnectionHandler() {
                            @Override
                            public void onBidiStream(BidiStream s) {
                                s.setReader(echo(s));
                            }

                            @Override
                            public void onUniStream(RecvStream s) {
                                s.stopSending(0);
                            }

                            @Override
                            public void onClosed(long code, String reason) {
                                serverSawClose.complete(code);
                            }
                        }), 1, 1500));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            MoqConnection c = QuicClient.connect(URI.create("moqt://127.0.0.1:" + server.port() + "/"),
                    new ClientOptions(group, List.of("moq-lite-04"), true, List.of(), 10_000)).get(10, TimeUnit.SECONDS);
            c.setHandler(new ConnectionHandler() {
                @Override
                public void onBidiStream(BidiStream s) {
                    s.reset(0);
                }

                @Override
                public void onUniStream(RecvStream s) {
                    s.stopSending(0);
                }

                @Override
                public void onClosed(long code, String reason) {
                }
            });
            // Three idle timeouts of silence from the application on both ends.
            Thread.sleep(4500);
            assertTrue(c.isOpen(), "the client's connection is still open");
            assertFalse(serverSawClose.isDone(), "the server did not close the session");
            // And it still carries data.
            BidiStream s = c.openBidi().get(5, TimeUnit.SECONDS);
            CompletableFuture<Integer> echoed = new CompletableFuture<>();
            s.setReader(new StreamReader() {
                int n;

                @Override
                public void onData(ByteBuf data) {
                    n += data.readableBytes();
                    data.release();
                }

                @Override
                public void onFinish() {
                    echoed.complete(n);
                }

                @Override
                public void onReset(long code) {
                    echoed.completeExceptionally(new IllegalStateException("reset " + code));
                }
            });
            s.writeAndFinish(io.netty.buffer.Unpooled.wrappedBuffer(new byte[100]));
            assertEquals(100, echoed.get(10, TimeUnit.SECONDS));
            c.close(0, "done");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            server.close();
        }
    }

    private static StreamReader echo(BidiStream s) {
        return new StreamReader() {
            @Override
            public void onData(ByteBuf data) {
                s.write(data);
                s.flush();
            }

            @Override
            public void onFinish() {
                s.finish();
            }

            @Override
            public void onReset(long code) {
                s.reset(code);
            }
        };
    }
}
