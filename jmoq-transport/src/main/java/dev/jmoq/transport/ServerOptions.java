package dev.jmoq.transport;

import dev.jmoq.transport.tls.CertificateStore;
import dev.jmoq.transport.tls.ServerCertificate;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a server transport needs: where to listen, the certificate, the MoQ protocols the server speaks
 * in order of preference (ALPNs such as {@code moq-lite-04}; matched against QUIC ALPN, the WebTransport
 * {@code WT-Available-Protocols} header and WebSocket subprotocol suffixes), and who takes connections.
 *
 * @param bind        UDP address for QUIC and WebTransport; the same port number over TCP serves
 *                    WebSocket and plain HTTP
 * @param protocols   MoQ protocols in order of preference
 * @param eventLoops  number of event loops (and SO_REUSEPORT QUIC channels); 0 means one per core
 * @param maxIdleTimeoutMillis QUIC idle timeout
 */
public record ServerOptions(
        InetSocketAddress bind,
        CertificateStore certificates,
        List<String> protocols,
        ConnectionAcceptor acceptor,
        int eventLoops,
        long maxIdleTimeoutMillis) {
    public ServerOptions {
        protocols = List.copyOf(protocols);
    }

    /** Options with a fixed certificate. */
    public ServerOptions(InetSocketAddress bind, ServerCertificate certificate, List<String> protocols,
            ConnectionAcceptor acceptor, int eventLoops, long maxIdleTimeoutMillis) {
        this(bind, new CertificateStore(certificate), protocols, acceptor, eventLoops, maxIdleTimeoutMillis);
    }

    /** The certificate for new connections. */
    public ServerCertificate certificate() {
        return certificates.current();
    }
}
