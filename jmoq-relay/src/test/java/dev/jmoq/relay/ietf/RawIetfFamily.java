package dev.jmoq.relay.ietf;

import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.ProtocolFamily;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.StreamReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A test "family" whose session writes what a test gives it on the raw connection (valid setup bytes,
 * then malformed ones) and reports the code the relay closed the connection with.
 */
final class RawIetfFamily implements ProtocolFamily {
    private final String protocol;
    private final Consumer<RawSession> script;
    /** Runs on each new session before its script (to set {@link RawSession#onBidi}). */
    volatile Consumer<RawSession> prepare = s -> { };
    final CompletableFuture<RawSession> session = new CompletableFuture<>();

    RawIetfFamily(String protocol, Consumer<RawSession> script) {
        this.protocol = protocol;
        this.script = script;
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public List<String> protocols() {
        return List.of(protocol);
    }

    @Override
    public boolean accepts(String p) {
        return protocol.equals(p);
    }

    @Override
    public long code(SessionError error) {
        return 0;
    }

    @Override
    public Session create(SessionContext context) {
        RawSession s = new RawSession(context.connection());
        session.complete(s);
        return s;
    }

    /** Writes the test's bytes; the peer's streams are read and dropped. */
    final class RawSession implements Session, ConnectionHandler {
        final MoqConnection connection;
        final CompletableFuture<Long> closed = new CompletableFuture<>();
        /** What to do with a bidi stream the peer opens (default: read and drop). Set before connecting. */
        volatile Consumer<BidiStream> onBidi = s -> s.setReader(DROP);
        private final CompletableFuture<String> ready = new CompletableFuture<>();

        RawSession(MoqConnection connection) {
            this.connection = connection;
        }

        /** Every uni stream the peer sent, whole, as each ends (the receiver releases them). */
        final BlockingQueue<ByteBuf> uniStreams = new LinkedBlockingQueue<>();
        /** What the peer wrote on our bidi streams so far, in arrival order (one buffer each; guarded by itself). */
        final List<CompositeByteBuf> bidiReplies = new CopyOnWriteArrayList<>();

        /** Our bidi streams, in the order opened. */
        final List<BidiStream> bidiStreams = new CopyOnWriteArrayList<>();

        /** Writes more on our bidi stream {@code index} (on the connection's loop). */
        void write(int index, ByteBuf bytes) {
            connection.eventLoop().execute(() -> {
                BidiStream s = bidiStreams.get(index);
                s.write(bytes);
                s.flush();
            });
        }

        /** Opens a bidi stream and writes {@code bytes} on it; what comes back collects in {@link #bidiReplies}. */
        void bidi(ByteBuf bytes) {
            connection.openBidi().addListener(f -> {
                BidiStream s = (BidiStream) f.getNow();
                bidiStreams.add(s);
                CompositeByteBuf reply = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                bidiReplies.add(reply);
                s.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        synchronized (reply) {
                            reply.addComponent(true, data);
                        }
                    }

                    @Override
                    public void onFinish() {
                    }

                    @Override
                    public void onReset(long code) {
                    }
                });
                s.write(bytes);
                s.flush();
            });
        }

        /** Frees what was collected (call once the test is done with the session). */
        void release() {
            for (CompositeByteBuf reply : bidiReplies) {
                synchronized (reply) {
                    reply.release();
                }
            }
            ByteBuf b;
            while ((b = uniStreams.poll()) != null) {
                b.release();
            }
        }

        /** A copy of what bidi stream {@code index} received so far. */
        ByteBuf bidiReply(int index) {
            CompositeByteBuf reply = bidiReplies.get(index);
            synchronized (reply) {
                return Unpooled.copiedBuffer(reply);
            }
        }

        /** Opens a uni stream, writes {@code bytes} and ends it (a data stream). */
        void uniFinished(ByteBuf bytes) {
            connection.openUni().addListener(f -> ((SendStream) f.getNow()).writeAndFinish(bytes));
        }

        /** Opens a uni stream and writes {@code bytes} on it, leaving it open (a control stream). */
        void uni(ByteBuf bytes) {
            connection.openUni().addListener(f -> {
                SendStream s = (SendStream) f.getNow();
                s.write(bytes);
                s.flush();
            });
        }

        @Override
        public void start() {
            prepare.accept(this);
            connection.setHandler(this);
            connection.closeFuture().addListener(f -> closed.complete(-1L));
            script.accept(this);
            ready.complete(protocol);
        }

        @Override
        public void onBidiStream(BidiStream stream) {
            onBidi.accept(stream);
        }

        @Override
        public void onUniStream(RecvStream stream) {
            CompositeByteBuf all = Unpooled.compositeBuffer(Integer.MAX_VALUE);
            stream.setReader(new StreamReader() {
                @Override
                public void onData(ByteBuf data) {
                    all.addComponent(true, data);
                }

                @Override
                public void onFinish() {
                    uniStreams.add(all);
                }

                @Override
                public void onReset(long code) {
                    all.release();
                }
            });
        }

        @Override
        public void onClosed(long code, String reason) {
            closed.complete(code);
        }

        @Override
        public MoqConnection connection() {
            return connection;
        }

        @Override
        public String root() {
            return "";
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public CompletableFuture<String> ready() {
            return ready;
        }

        @Override
        public CompletableFuture<String> goawayReceived() {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Long> closed() {
            return closed;
        }

        @Override
        public boolean goaway(String uri) {
            return false;
        }

        @Override
        public void close(SessionError error, String reason) {
            connection.close(0, reason);
        }

        @Override
        public void announced(String prefix, BiConsumer<String, Boolean> listener) {
        }

        @Override
        public void subscribe(String path, Track into) {
        }
    }

    /** {@code m} framed as a control message of {@code v}, ready to write. */
    static ByteBuf framed(dev.jmoq.wire.ietf.IetfMessage m, dev.jmoq.wire.ietf.IetfVersion v) {
        ByteBuf out = Unpooled.buffer();
        dev.jmoq.wire.ietf.ControlCodec.write(out, m, v);
        return out;
    }

    static final StreamReader DROP = new StreamReader() {
        @Override
        public void onData(ByteBuf data) {
            data.release();
        }

        @Override
        public void onFinish() {
        }

        @Override
        public void onReset(long code) {
        }
    };
}
