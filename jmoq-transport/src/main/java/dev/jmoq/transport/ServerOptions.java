package dev.jmoq.transport;

import dev.jmoq.transport.tls.CertificateStore;
import dev.jmoq.transport.tls.ServerCertificate;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a server transport needs: where to listen, the certificate, the MoQ protocols the server speaks
 * in order of preference (ALPNs such as {@code moq-lite-04}; matched against QUIC ALPN, the WebTransport
 * {@code WT-Available-Protocols} header and WebSocket subprotocol suffixes), who takes connections, and the
 * bounds every transport enforces.
 *
 * @param bind        UDP address for QUIC and WebTransport; the same port number over TCP serves
 *                    WebSocket and plain HTTP
 * @param protocols   MoQ protocols in order of preference
 * @param eventLoops  number of event loops (and SO_REUSEPORT QUIC channels); 0 means one per core
 * @param maxIdleTimeoutMillis idle timeout of every transport, milliseconds: a connection that receives
 *                    nothing for this long is dropped; keep-alives go out every third of it (at most every
 *                    10 s on QUIC); 0 disables it on WebSocket (QUIC then uses quiche's default of none)
 * @param handshakeTimeoutMillis bound on each handshake stage (HTTP request, qmux preamble, WebTransport
 *                    CONNECT; the MoQ SETUP is bounded by the acceptor), milliseconds; 0 for none
 * @param maxStreams  peer-initiated streams of each direction a connection may have open at once (QUIC
 *                    {@code initial_max_streams_*}, qmux transport parameters; WebTransport through its QUIC
 *                    connection); 0 keeps the transport default of 1000
 * @param stats       where keep-alives, idle drops and handshake timeouts are counted
 */
public record ServerOptions(
        InetSocketAddress bind,
        CertificateStore certificates,
        List<String> protocols,
        ConnectionAcceptor acceptor,
        int eventLoops,
        long maxIdleTimeoutMillis,
        long handshakeTimeoutMillis,
        long maxStreams,
        TransportStats stats) {
    /** Default {@link #handshakeTimeoutMillis()}. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Default {@link #maxStreams()}. */
    public static final long DEFAULT_MAX_STREAMS = 1000;

    public ServerOptions {
        protocols = List.copyOf(protocols);
        if (handshakeTimeoutMillis < 0 || maxStreams < 0) {
            throw new IllegalArgumentException("handshakeTimeoutMillis and maxStreams must be >= 0");
        }
        if (maxStreams == 0) {
            maxStreams = DEFAULT_MAX_STREAMS;
        }
        if (stats == null) {
            stats = new TransportStats();
        }
    }

    /** Options with the default handshake timeout and stream limit, counted in a private {@link TransportStats}. */
    public ServerOptions(InetSocketAddress bind, CertificateStore certificates, List<String> protocols,
            ConnectionAcceptor acceptor, int eventLoops, long maxIdleTimeoutMillis) {
        this(bind, certificates, protocols, acceptor, eventLoops, maxIdleTimeoutMillis,
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, DEFAULT_MAX_STREAMS, null);
    }

    /** Options with a fixed certificate. */
    public ServerOptions(InetSocketAddress bind, ServerCertificate certificate, List<String> protocols,
            ConnectionAcceptor acceptor, int eventLoops, long maxIdleTimeoutMillis) {
        this(bind, new CertificateStore(certificate), protocols, acceptor, eventLoops, maxIdleTimeoutMillis);
    }

    /** The same options with other bounds. */
    public ServerOptions withBounds(long handshakeTimeoutMillis, long maxStreams, TransportStats stats) {
        return new ServerOptions(bind, certificates, protocols, acceptor, eventLoops, maxIdleTimeoutMillis,
                handshakeTimeoutMillis, maxStreams, stats);
    }

    /** The certificate for new connections. */
    public ServerCertificate certificate() {
        return certificates.current();
    }
}
