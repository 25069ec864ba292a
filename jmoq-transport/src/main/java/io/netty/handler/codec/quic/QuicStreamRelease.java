package io.netty.handler.codec.quic;

/**
 * Lets a QUIC connection forget a stream channel that was closed with its receive half ended by a reset or
 * STOP_SENDING rather than a FIN. Netty 4.2.18's {@code QuicheQuicStreamChannel} removes a closed stream from
 * its connection's stream map only when it read a FIN (or when it is a locally opened unidirectional stream),
 * so every other closed stream channel stayed reachable from the connection until the connection ended:
 * a few hundred bytes per reset stream, for the life of a long-lived connection.
 *
 * <p>This class sits in Netty's package because the map and its removal are package-private; it calls the
 * same removal Netty calls itself for a stream that read its FIN ({@code QuicheQuicChannel.streamClosed}).
 * It works on the class path (jmoq's launchers and tests), not on the module path. Call it only after the
 * stream channel was closed: quiche has then shut the stream in both directions and ignores, or reports as
 * already finished, anything the peer still sends on it.
 *
 * <p>Threading: the stream's event loop.
 */
public final class QuicStreamRelease {
    private QuicStreamRelease() {
    }

    /** Removes the closed {@code stream} from its connection's stream map; does nothing for an open one. */
    public static void forget(QuicStreamChannel stream) {
        if (!stream.isActive() && stream.parent() instanceof QuicheQuicChannel connection) {
            connection.streamClosed(stream.streamId());
        }
    }
}
