package dev.jmoq.transport;

import io.netty.channel.EventLoopGroup;
import java.util.List;

/**
 * What a client transport needs to dial.
 *
 * @param group             event loops the connection may live on (the dialer picks one)
 * @param protocols         MoQ protocols offered, in order of preference (ALPNs such as {@code moq-lite-04});
 *                          offered as QUIC ALPNs, {@code WT-Available-Protocols}, or WebSocket subprotocols
 * @param insecure          accept any server certificate (development only)
 * @param certificateSha256 accept a server certificate whose leaf has one of these SHA-256 hashes
 *                          (as browsers do with {@code serverCertificateHashes}); empty for none
 * @param connectTimeoutMillis give up dialing after this long
 * @param shareUdpSockets   raw QUIC and WebTransport connections dialed on one event loop with the same TLS
 *                          settings share a few UDP sockets (8, round robin), and their packets leave in a
 *                          {@code sendmmsg} per socket and loop pass, as the server's do (for a load generator with hundreds of
 *                          connections); otherwise each connection has a socket of its own
 */
public record ClientOptions(
        EventLoopGroup group,
        List<String> protocols,
        boolean insecure,
        List<byte[]> certificateSha256,
        long connectTimeoutMillis,
        boolean shareUdpSockets) {
    public ClientOptions {
        protocols = List.copyOf(protocols);
        certificateSha256 = List.copyOf(certificateSha256);
    }

    /** Options where every connection has a UDP socket of its own. */
    public ClientOptions(EventLoopGroup group, List<String> protocols, boolean insecure, List<byte[]> certificateSha256,
            long connectTimeoutMillis) {
        this(group, protocols, insecure, certificateSha256, connectTimeoutMillis, false);
    }
}
