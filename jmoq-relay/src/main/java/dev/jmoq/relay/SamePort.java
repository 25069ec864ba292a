package dev.jmoq.relay;

import java.net.BindException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Binds the relay's UDP listener (QUIC, WebTransport) and its TCP listener (WebSocket, pages) on one port
 * number. With a configured port that is all; with port 0 the UDP listener takes an ephemeral port and the
 * TCP listener that number, which another TCP socket may already hold (the two protocols' ephemeral ports
 * are allotted separately, and a busy machine has thousands of TCP ones): then both move to a new port, up to
 * {@link #ATTEMPTS} times.
 */
final class SamePort {
    static final int ATTEMPTS = 20;

    private SamePort() {
    }

    /** The two listeners, bound. */
    record Bound<U, T>(U udp, T tcp) {
    }

    /**
     * @param ephemeral whether the port was left to the system (0), so that moving is allowed
     * @param bindUdp   binds the UDP listener (on the configured or an ephemeral port)
     * @param portOf    the UDP listener's bound port
     * @param closeUdp  releases a UDP listener whose number was taken on TCP
     * @param bindTcp   binds the TCP listener on the given port; throws (a {@link BindException}, or Netty's
     *                  native error saying "Address already in use") when it is taken
     * @throws IllegalStateException when the TCP port stays taken: the configured one, or {@link #ATTEMPTS}
     *                               ephemeral ones in a row
     */
    static <U, T> Bound<U, T> bind(boolean ephemeral, Supplier<U> bindUdp, ToIntFunction<U> portOf, Consumer<U> closeUdp,
            IntFunction<T> bindTcp) {
        for (int attempt = 1; ; attempt++) {
            U udp = bindUdp.get();
            int port = portOf.applyAsInt(udp);
            try {
                return new Bound<>(udp, bindTcp.apply(port));
            } catch (RuntimeException e) {
                closeUdp.accept(udp);
                if (!ephemeral || attempt >= ATTEMPTS || !taken(e)) {
                    throw e;
                }
            } catch (Throwable e) { // a checked bind error Netty rethrows unchecked
                closeUdp.accept(udp);
                if (!ephemeral || attempt >= ATTEMPTS || !taken(e)) {
                    throw new IllegalStateException("cannot listen on TCP port " + port + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static boolean taken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }
}
