package dev.jmoq.relay.lite05;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.StreamReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven moq-lite-05 peer for tests: a bare connection whose streams the test writes and reads as
 * bytes (encoded with the wire codec), so every message the relay sends is seen exactly as sent.
 */
final class RawPeer implements ConnectionHandler {
    final MoqConnection connection;
    final BlockingQueue<Incoming> uniStreams = new LinkedBlockingQueue<>();
    final BlockingQueue<Incoming> bidiStreams = new LinkedBlockingQueue<>();

    RawPeer(MoqConnection connection) {
        this.connection = connection;
        connection.eventLoop().execute(() -> connection.setHandler(this));
    }

    /** Everything one stream received, with how it ended. */
    static final class Incoming implements StreamReader {
        final RecvStream stream;
        private final StringBuilder hex = new StringBuilder();
        /** Completes with -1 on FIN, else the reset code. */
        final CompletableFuture<Long> end = new CompletableFuture<>();
        private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();

        Incoming(RecvStream stream) {
            this.stream = stream;
            stream.setReader(this);
        }

        @Override
        public void onData(ByteBuf data) {
            try {
                String h = ByteBufUtil.hexDump(data);
                synchronized (this) {
                    hex.append(h);
                }
                chunks.add(h);
            } finally {
                data.release();
            }
        }

        @Override
        public void onFinish() {
            end.complete(-1L);
        }

        @Override
        public void onReset(long code) {
            end.complete(code);
        }

        /** The bytes so far. The caller releases the buffer. */
        synchronized ByteBuf bytes() {
            return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        }

        /** Waits until at least {@code n} bytes arrived; returns them (the caller releases them). */
        ByteBuf awaitBytes(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                synchronized (this) {
                    if (hex.length() / 2 >= n) {
                        return bytes();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("stream " + stream.id() + ": fewer than " + n + " bytes within 15 s");
                }
                chunks.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
        }

        long awaitEnd() throws Exception {
            return end.get(15, TimeUnit.SECONDS);
        }
    }

    @Override
    public void onBidiStream(BidiStream stream) {
        bidiStreams.add(new Incoming(stream));
    }

    @Override
    public void onUniStream(RecvStream stream) {
        uniStreams.add(new Incoming(stream));
    }

    @Override
    public void onClosed(long code, String reason) {
    }

    /** Opens a uni stream, writes {@code bytes} and FINs. */
    void sendUni(ByteBuf bytes) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        connection.eventLoop().execute(() -> connection.openUni().addListener(f -> {
            if (!f.isSuccess()) {
                bytes.release();
                done.completeExceptionally(f.cause());
                return;
            }
            ((SendStream) f.getNow()).writeAndFinish(bytes);
            done.complete(null);
        }));
        done.get(10, TimeUnit.SECONDS);
    }

    /** Opens a bidi stream, writes {@code bytes} (and FINs when {@code fin}); returns what it receives. */
    Incoming request(ByteBuf bytes, boolean fin) throws Exception {
        CompletableFuture<Incoming> done = new CompletableFuture<>();
        connection.eventLoop().execute(() -> connection.openBidi().addListener(f -> {
            if (!f.isSuccess()) {
                bytes.release();
                done.completeExceptionally(f.cause());
                return;
            }
            BidiStream s = (BidiStream) f.getNow();
            Incoming in = new Incoming(s);
            if (fin) {
                s.writeAndFinish(bytes);
            } else {
                s.write(bytes);
                s.flush();
            }
            done.complete(in);
        }));
        return done.get(10, TimeUnit.SECONDS);
    }

    static Incoming next(BlockingQueue<Incoming> q, String what) throws InterruptedException {
        Incoming i = q.poll(15, TimeUnit.SECONDS);
        if (i == null) {
            throw new AssertionError("no " + what + " within 15 s");
        }
        return i;
    }
}
