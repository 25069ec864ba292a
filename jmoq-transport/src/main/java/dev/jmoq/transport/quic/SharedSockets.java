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
 * packet to its connection by connection ID, so one socket serves many, and their packets of one loop pass
 * leave in a {@code sendmmsg} per socket, as the server's do: the load generator's hundreds of connections
 * cost a few system calls per pass, not one per ACK.
 *
 * <p>Each loop spreads its connections over {@link #PER_LOOP} sockets, round robin. A server with one
 * SO_REUSEPORT socket per core (jmoq's, among others) has the kernel pick the socket, and so the event loop,
 * by the packet's source address: with one client socket per loop, a load generator's thousand connections
 * came from two addresses, and half the time both hashed to one server socket, leaving one core to serve
 * them all. A socket lives until its loop shuts down or it fails; a closed one is forgotten and the next dial
 * on its slot binds a new one.
 */
final class SharedSockets {
    /** Sockets per event loop and TLS context ({@code jmoq.quic.sharedSocketsPerLoop}, default 8). */
    static final int PER_LOOP = Math.max(1, Integer.getInteger("jmoq.quic.sharedSocketsPerLoop", 8));

    private record Key(EventLoop loop, QuicSslContext context, int slot) {
    }

    private static final Map<Key, Future<Channel>> SOCKETS = new ConcurrentHashMap<>();
    private static final Map<EventLoop, java.util.concurrent.atomic.AtomicInteger> NEXT_SLOT = new ConcurrentHashMap<>();

    private SharedSockets() {
    }

    /** The next of {@code loop}'s shared sockets for {@code context} (round robin), bound on first use. */
    static Future<Channel> socket(EventLoop loop, QuicSslContext context, boolean epoll) {
        int slot = Math.floorMod(NEXT_SLOT.computeIfAbsent(loop, l -> {
            l.terminationFuture().addListener(f -> NEXT_SLOT.remove(l)); // no entry outlives its loop
            return new java.util.concurrent.atomic.AtomicInteger();
        }).getAndIncrement(), PER_LOOP);
        Key key = new Key(loop, context, slot);
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
