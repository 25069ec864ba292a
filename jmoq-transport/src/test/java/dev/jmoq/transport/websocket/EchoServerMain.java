package dev.jmoq.transport.websocket;

import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.tls.ServerCertificate;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * An echo server for the Node interoperability script (e2e/transport/qmux-interop.mjs): listens on 127.0.0.1,
 * prints {@code PORT <n>} and {@code SHA256 <hex>}, and runs until stdin closes. Arguments: the port (0 for
 * any) and the MoQ protocols in preference order. A request path containing {@code close=server} is closed by
 * the server with code 4242 and reason {@code server bye} 200 ms after it is accepted.
 */
public final class EchoServerMain {
    private EchoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        List<String> protocols = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("moq-lite-04", "moq-lite-03", "moql");
        ServerCertificate cert = ServerCertificate.selfSigned(List.of("localhost", "127.0.0.1"));
        EchoAcceptor echo = new EchoAcceptor();
        try (WebSocketServer server = WebSocketServer.start(new ServerOptions(new InetSocketAddress("127.0.0.1", port),
                cert, protocols, c -> {
                    System.out.println("CONNECTION protocol=" + c.protocol() + " path=" + c.path()
                            + " wire=" + ((QmuxConnection) c).wire().token());
                    echo.onConnection(c);
                    if (c.path().contains("close=server")) {
                        // Lets the script check how the client sees a server's application close.
                        c.eventLoop().schedule(() -> c.close(4242, "server bye"), 200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                }, 1, 30_000))) {
            System.out.println("PORT " + server.port());
            System.out.println("SHA256 " + cert.sha256Hex());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until stdin closes
            }
        }
    }
}
