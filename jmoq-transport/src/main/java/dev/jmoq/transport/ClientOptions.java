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
 */
public record ClientOptions(
        EventLoopGroup group,
        List<String> protocols,
        boolean insecure,
        List<byte[]> certificateSha256,
        long connectTimeoutMillis) {
    public ClientOptions {
        protocols = List.copyOf(protocols);
        certificateSha256 = List.copyOf(certificateSha256);
    }
}
