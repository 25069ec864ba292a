package dev.jmoq.cli.interop;

import dev.jmoq.core.client.MoqClient;
import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs cases one after another against one relay and reports them as TAP version 14; the exit code the
 * runner's contract gives: 0 when every case passed, 1 when one failed, 127 when the only case asked
 * for is not supported by this client.
 */
public final class InteropRun {
    public static final int EXIT_PASSED = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_UNSUPPORTED = 127;

    private final MoqClient client;
    private final URI relay;
    private final PrintStream out;

    public InteropRun(MoqClient client, URI relay, PrintStream out) {
        this.client = client;
        this.relay = relay;
        this.out = out;
    }

    /** Runs {@code cases}; {@code comments} go between the version line and the plan. */
    public int run(List<InteropCase> cases, String... comments) {
        Tap tap = new Tap(out);
        tap.header(cases.size(), comments);
        int failed = 0;
        int unsupported = 0;
        for (InteropCase c : cases) {
            long start = System.nanoTime();
            Map<String, String> yaml = new LinkedHashMap<>();
            boolean ok;
            String directive = null;
            try (CaseContext ctx = new CaseContext(client, relay, c.timeoutMillis())) {
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
}
