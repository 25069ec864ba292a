package dev.jmoq.transport.quic;

import dev.jmoq.transport.ServerOptions;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Takes QUIC connections that negotiated ALPN {@code h3} (WebTransport over HTTP/3). Called on the
 * connection's event loop.
 */
public interface H3Acceptor {
    /** The connection finished its handshake with ALPN h3. */
    void onConnection(QuicChannel channel, ServerOptions options);

    /** The peer opened a stream on an h3 connection. */
    void onStream(QuicStreamChannel stream);
}
