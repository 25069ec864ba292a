package dev.jmoq.transport.quic;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client UDP sockets shared by the QUIC connections dialed on one event loop with one TLS context
 * ({@link dev.jmoq.transport.ClientOptions#shareUdpSockets()}). quiche's client codec routes each received
 * packet to its connection by connection ID, so one socket serves them all, and their packets of one loop
 * pass leave in one {@code sendmmsg}, as the server's do: the load generator's hundreds of connections cost
 * a system call per pass, not one per ACK. A socket lives until its loop shuts down or it fails; a closed
 * one is forgotten and the next dial binds a new one.
 */
final class SharedSockets {
    private record Key(EventLoop loop, QuicSslContext context) {
    }

    private static final Map<Key, Future<Channel>> SOCKETS = new ConcurrentHashMap<>();

    private SharedSockets() {
    }

    /** The shared socket of {@code loop} for {@code context}, bound on first use. */
    static Future<Channel> socket(EventLoop loop, QuicSslContext context, boolean epoll) {
        Key key = new Key(loop, context);
        Future<Channel> existing = SOCKETS.get(key);
        if (existing != null) {
            return existing;
        }
        Promise<Channel> socket = loop.newPromise();
        Future<Channel> raced = SOCKETS.putIfAbsent(key, socket);
        if (raced != null) {
            return raced;
        }
        QuicClient.bind(loop, context, epoll, true).addListener(b -> {
            if (b.isSuccess()) {
                Channel udp = (Channel) b.getNow();
                udp.closeFuture().addListener(c -> SOCKETS.remove(key, socket));
                socket.trySuccess(udp);
            } else {
                SOCKETS.remove(key, socket);
                socket.tryFailure(b.cause());
            }
        });
        return socket;
    }
}
