package dev.jmoq.cli;

import dev.jmoq.cli.interop.InteropCase;
import dev.jmoq.cli.interop.InteropRun;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.session.SessionFactory;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jmoq interop}: the test client of englishm/moq-interop-runner (docs/TEST-CLIENT-INTERFACE.md).
 * Options fall back to the runner's environment: RELAY_URL, TESTCASE, TLS_DISABLE_VERIFY, MOQT_DRAFT or
 * MOQT_DRAFT_NUM, VERBOSE. TAP version 14 on stdout; logs on stderr; exit 0 / 1 / 127.
 */
@Command(name = "interop", mixinStandardHelpOptions = true,
        description = "Run the MoQ interop runner's test cases against a relay (TAP version 14 on stdout).")
public final class InteropCommand implements Callable<Integer> {
    @Option(names = {"-r", "--relay"}, description = "Relay URL: moqt://host:port (raw QUIC) or https://host:port (WebTransport); default: $RELAY_URL, else https://localhost:4443.")
    String relayUrl;

    @Option(names = {"-t", "--test"}, description = "Run only this case, or these (comma-separated) (default: $TESTCASE, else every case).")
    String test;

    @Option(names = {"-l", "--list"}, description = "List the cases, one per line, and exit.")
    boolean list;

    @Option(names = "--tls-disable-verify", description = "Accept any server certificate (default: $TLS_DISABLE_VERIFY = 1 or true).")
    boolean tlsDisableVerify;

    @Option(names = "--draft", description = "moq-transport draft to offer: 14 (ALPN moq-00), 15 ... 20 (moqt-NN); default: $MOQT_DRAFT or $MOQT_DRAFT_NUM, else every draft, newest first.")
    String draft;

    @Option(names = "--protocol", description = "Offer these protocols instead (as for pub/sub: moqt-20, moq-00, ietf, ...); repeatable.")
    List<String> protocols = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Log the client's sessions on stderr.")
    boolean verbose;

    @Option(names = "--time-scale", defaultValue = "1", description = "Multiply every case's timeout by this (default: ${DEFAULT-VALUE}, the spec's timeouts).")
    double timeScale;

    /** The environment and stdout; fields so tests can give their own. */
    Map<String, String> env = System.getenv();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() {
        if (list) {
            for (InteropCase c : InteropCase.values()) {
                out.println(c.id());
            }
            return 0;
        }
        String url = first(relayUrl, env.get("RELAY_URL"), "https://localhost:4443");
        String only = first(test, blankToNull(env.get("TESTCASE")), null);
        boolean insecure = tlsDisableVerify || isTrue(env.get("TLS_DISABLE_VERIFY"));
        String d = first(draft, blankToNull(env.get("MOQT_DRAFT")), blankToNull(env.get("MOQT_DRAFT_NUM")));
        List<InteropCase> cases;
        if (only == null) {
            cases = List.of(InteropCase.values());
        } else {
            cases = new ArrayList<>();
            for (String id : only.split(",")) {
                var c = InteropCase.byId(id.trim());
                if (c.isEmpty()) {
                    System.err.println("interop: unknown test case " + id.trim());
                    return InteropRun.EXIT_UNSUPPORTED;
                }
                cases.add(c.get());
            }
        }
        List<String> offer;
        try {
            SessionFactory f = SessionFactory.defaults();
            offer = !protocols.isEmpty() ? ProtocolOffer.expand(protocols, f)
                    : d != null ? List.of(ProtocolOffer.ietfDraft(d)) : ProtocolOffer.expand(List.of("ietf"), f);
        } catch (IllegalArgumentException e) {
            System.err.println("interop: " + e.getMessage());
            return 2;
        }
        if (!verbose && !isTrue(env.get("VERBOSE"))) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        URI uri = URI.create(url);
        try (MoqClient client = MoqClient.builder().threads(2).insecure(insecure).protocols(offer).build()) {
            return new InteropRun(client, uri, out, timeScale).run(cases, "jmoq interop 0.1.0", "Relay: " + url,
                    "Draft: " + (d != null ? "draft-" + d.trim().replaceAll(".*-", "") : "any offered"),
                    "Protocols offered: " + String.join(",", offer));
        }
    }

    private static String first(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static boolean isTrue(String s) {
        return s != null && (s.equals("1") || s.equalsIgnoreCase("true"));
    }
}
