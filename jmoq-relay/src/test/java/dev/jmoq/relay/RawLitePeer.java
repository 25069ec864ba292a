package dev.jmoq.relay;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.Announce;
import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A moq-lite-04 peer over raw QUIC that announces whatever a test gives it, paths the client library refuses to
 * build included. It answers the relay's ANNOUNCE_PLEASE by keeping that stream and writing ANNOUNCE messages on
 * it. Thread-safe: writes run on the connection's event loop.
 */
final class RawLitePeer implements AutoCloseable {
    private static final LiteVersion VERSION = LiteVersion.DRAFT_04;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final MoqConnection connection;
    private final CompletableFuture<BidiStream> announceStream = new CompletableFuture<>();
    /** The relay's code when it resets the announce stream. */
    final CompletableFuture<Long> announceReset = new CompletableFuture<>();
    /** Completes with the code when the connection closes. */
    final CompletableFuture<Long> closed = new CompletableFuture<>();

    RawLitePeer(int port) throws Exception {
        connection = QuicClient.connect(URI.create("moqt://127.0.0.1:" + port + "/"),
                new ClientOptions(group, List.of(VERSION.alpn()), true, List.of(), 5000)).get(15, TimeUnit.SECONDS);
        connection.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.setReader(new AnnouncePleaseReader(stream));
            }

            @Override
            public void onUniStream(RecvStream stream) {
                stream.stopSending(0);
            }

            @Override
            public void onClosed(long code, String reason) {
                closed.complete(code);
            }
        });
    }

    /** Announces {@code suffix} as active, once the relay has asked for announcements. */
    void announce(String suffix) throws Exception {
        BidiStream s = announceStream.get(15, TimeUnit.SECONDS);
        connection.eventLoop().execute(() -> {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            new Announce(true, suffix, List.of()).encode(out, VERSION);
            s.write(out);
            s.flush();
        });
    }

    @Override
    public void close() {
        connection.close(0, "done");
        connection.closeFuture().awaitUninterruptibly(5000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Reads the control type and ANNOUNCE_PLEASE of a stream the relay opened; keeps an announce stream. */
    private final class AnnouncePleaseReader implements StreamReader {
        private final BidiStream stream;
        private final CompositeByteBuf buffered = ByteBufAllocator.DEFAULT.compositeBuffer();
        private boolean done;

        AnnouncePleaseReader(BidiStream stream) {
            this.stream = stream;
        }

        @Override
        public void onData(ByteBuf data) {
            if (done) {
                data.release();
                return;
            }
            buffered.addComponent(true, data);
            int mark = buffered.readerIndex();
            try {
                LiteControlType type = LiteControlType.tryRead(buffered, VERSION);
                AnnouncePlease please = type == LiteControlType.ANNOUNCE
                        ? AnnouncePlease.DECODER.tryDecode(buffered, VERSION, 4096) : null;
                if (type != null && type != LiteControlType.ANNOUNCE) {
                    done();
                    stream.reset(0);
                } else if (please != null) {
                    done();
                    announceStream.complete(stream);
                } else {
                    buffered.readerIndex(mark);
                }
            } catch (ProtocolException e) {
                done();
                stream.reset(e.code());
            }
        }

        private void done() {
            done = true;
            buffered.release();
        }

        @Override
        public void onFinish() {
            if (!done) {
                done();
            }
        }

        @Override
        public void onReset(long code) {
            if (!done) {
                done();
            }
            announceReset.complete(code);
        }
    }
}
