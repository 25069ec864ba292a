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
import java.util.List;
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
        private final CompletableFuture<String> ready = new CompletableFuture<>();

        RawSession(MoqConnection connection) {
            this.connection = connection;
        }

        /** Opens a bidi stream and writes {@code bytes} on it. */
        void bidi(ByteBuf bytes) {
            connection.openBidi().addListener(f -> {
                BidiStream s = (BidiStream) f.getNow();
                s.setReader(DROP);
                s.write(bytes);
                s.flush();
            });
        }

        /** Opens a uni stream and writes {@code bytes} on it. */
        void uni(ByteBuf bytes) {
            connection.openUni().addListener(f -> {
                SendStream s = (SendStream) f.getNow();
                s.write(bytes);
                s.flush();
            });
        }

        @Override
        public void start() {
            connection.setHandler(this);
            connection.closeFuture().addListener(f -> closed.complete(-1L));
            script.accept(this);
            ready.complete(protocol);
        }

        @Override
        public void onBidiStream(BidiStream stream) {
            stream.setReader(DROP);
        }

        @Override
        public void onUniStream(RecvStream stream) {
            stream.setReader(DROP);
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

    private static final StreamReader DROP = new StreamReader() {
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
