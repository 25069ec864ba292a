package dev.jmoq.cli.interop;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs cases one after another against one relay and reports them as TAP version 14; the exit code the
 * runner's contract gives: 0 when every case passed, 1 when one failed, 127 when the only case asked
 * for is not supported by this client.
 */
public final class InteropRun {
    public static final int EXIT_PASSED = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_UNSUPPORTED = 127;
    private static final long WARM_UP_MILLIS = 10_000;

    private final MoqClient client;
    private final URI relay;
    private final PrintStream out;
    private final double timeScale;

    /** {@code timeScale} multiplies every case's timeout (1: the spec's; more on a slow or loaded machine). */
    public InteropRun(MoqClient client, URI relay, PrintStream out, double timeScale) {
        this.client = client;
        this.relay = relay;
        this.out = out;
        this.timeScale = timeScale;
    }

    /** Runs {@code cases}; {@code comments} go between the version line and the plan. */
    public int run(List<InteropCase> cases, String... comments) {
        Tap tap = new Tap(out);
        tap.header(cases.size(), comments);
        String warm = cases.isEmpty() ? null : warmUp();
        if (warm != null) {
            tap.bailOut(warm);
            return EXIT_FAILED;
        }
        int failed = 0;
        int unsupported = 0;
        for (InteropCase c : cases) {
            long start = System.nanoTime();
            Map<String, String> yaml = new LinkedHashMap<>();
            boolean ok;
            String directive = null;
            try (CaseContext ctx = new CaseContext(client, relay, Math.round(c.timeoutMillis() * timeScale))) {
                try {
                    InteropCases.run(c, ctx);
                    ok = true;
                } catch (CaseFailure f) {
                    ok = false;
                    yaml.put("expected", f.expected());
                    yaml.put("received", f.received());
                } catch (Unsupported u) {
                    ok = true;
                    directive = "SKIP " + u.getMessage();
                    unsupported++;
                } catch (RuntimeException e) {
                    ok = false;
                    yaml.put("message", e.toString());
                }
                yaml.putAll(ctx.diagnostics());
            }
            yaml.put("duration_ms", String.valueOf(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            // duration first, as the contract's examples show it
            Map<String, String> ordered = new LinkedHashMap<>();
            ordered.put("duration_ms", yaml.remove("duration_ms"));
            ordered.putAll(yaml);
            tap.point(ok, c.id(), directive, ordered);
            if (!ok) {
                failed++;
            }
        }
        if (failed > 0) {
            return EXIT_FAILED;
        }
        return cases.size() == 1 && unsupported == 1 ? EXIT_UNSUPPORTED : EXIT_PASSED;
    }

    /**
     * One connection opened and closed before the first case, outside every case's time budget: the
     * JVM loads and compiles the client's code (QUIC, TLS, codecs) on its first connection, which
     * would otherwise be charged to setup-only's 2 seconds. Null when it worked, else why not.
     */
    private String warmUp() {
        try {
            ClientSession s = client.connect(relay).get(WARM_UP_MILLIS, TimeUnit.MILLISECONDS);
            out.println("# warm-up connection: " + s.version());
            s.close();
            s.closed().get(WARM_UP_MILLIS, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "no session with " + relay + " within " + WARM_UP_MILLIS + " ms";
        } catch (ExecutionException e) {
            return "cannot connect to " + relay + ": " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
