package dev.jmoq.relay.auth;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A connection that only carries what an authorizer reads: URL path and query, Origin header, address. */
record FakeConnection(String path, String origin) implements MoqConnection {
    static FakeConnection at(String path) {
        return new FakeConnection(path, null);
    }

    @Override
    public TransportKind kind() {
        return TransportKind.values()[0];
    }

    @Override
    public String protocol() {
        return "moq-lite-04";
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }

    @Override
    public EventLoop eventLoop() {
        throw new UnsupportedOperationException();
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
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public Future<?> closeFuture() {
        throw new UnsupportedOperationException();
    }
}
