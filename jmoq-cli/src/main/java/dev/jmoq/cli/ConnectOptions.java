package dev.jmoq.cli;

import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.transport.ClientOptions;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that dial a relay. */
final class ConnectOptions {
    @Option(names = "--url", required = true,
            description = "Relay URL: moqt://host:port/path (raw QUIC), https://host:port/path (WebTransport), ws://host:port/path (WebSocket).")
    URI url;

    @Option(names = "--insecure", description = "Accept any server certificate (development only).")
    boolean insecure;

    @Option(names = "--cert-sha256", description = "Accept a server certificate with this SHA-256 (hex); repeatable.")
    List<String> certSha256 = new ArrayList<>();

    @Option(names = "--protocol", description = "Offer only these protocols, most preferred first (repeatable or comma-separated): "
            + "a protocol (moq-lite-05, moq-lite-04, moqt-20, moqt-16, moq-00 = moq-transport draft 14) or a family (lite, ietf).")
    List<String> protocols = new ArrayList<>();

    MoqClient client(int threads) {
        return client(threads, false);
    }

    /** @param shareUdpSockets QUIC sessions of one event loop share a few UDP sockets (a load generator's many) */
    MoqClient client(int threads, boolean shareUdpSockets) {
        MoqClient.Builder b = MoqClient.builder().threads(threads).insecure(insecure).certificateSha256(hashes())
                .shareUdpSockets(shareUdpSockets);
        if (!protocols.isEmpty()) {
            b.protocols(ProtocolOffer.expand(protocols, SessionFactory.defaults()));
        }
        return b.build();
    }

    /** Transport-level dial options (no MoQ session) offering {@code alpns}, on {@code group}'s loops. */
    ClientOptions clientOptions(EventLoopGroup group, List<String> alpns, boolean shareUdpSockets) {
        return new ClientOptions(group, alpns, insecure, hashes(), 10_000, shareUdpSockets);
    }

    private List<byte[]> hashes() {
        List<byte[]> hashes = new ArrayList<>();
        for (String h : certSha256) {
            hashes.add(HexFormat.of().parseHex(h.trim()));
        }
        return hashes;
    }
}
