package dev.jmoq.core.session;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A connection that negotiated {@code protocol} and records how it was closed; it carries no streams. */
public final class StubConnection implements MoqConnection {
    private final String protocol;
    private final String path;
    public long closeCode = -1;
    public String closeReason;

    public StubConnection(String protocol, String path) {
        this.protocol = protocol;
        this.path = path;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.values()[0];
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String origin() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }

    @Override
    public EventLoop eventLoop() {
        return null;
    }

    @Override
    public void setHandler(ConnectionHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<BidiStream> openBidi() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<SendStream> openUni() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close(long code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    @Override
    public boolean isOpen() {
        return closeReason == null;
    }

    @Override
    public Future<?> closeFuture() {
        throw new UnsupportedOperationException();
    }
}
