package dev.jmoq.cli.interop;

import java.io.PrintStream;
import java.util.Map;

/**
 * TAP version 14 as the runner's client contract asks (docs/TEST-CLIENT-INTERFACE.md): the version
 * line, comment lines, the plan, one test point per case, a YAML block indented two spaces after it.
 * Not thread-safe.
 */
final class Tap {
    private final PrintStream out;
    private int n;

    Tap(PrintStream out) {
        this.out = out;
    }

    void header(int planned, String... comments) {
        out.println("TAP version 14");
        for (String c : comments) {
            out.println("# " + c);
        }
        out.println("1.." + planned);
        out.flush();
    }

    void point(boolean ok, String name, String directive, Map<String, String> yaml) {
        n++;
        out.println((ok ? "ok " : "not ok ") + n + " - " + name + (directive == null ? "" : " # " + directive));
        if (!yaml.isEmpty()) {
            out.println("  ---");
            for (Map.Entry<String, String> e : yaml.entrySet()) {
                out.println("  " + e.getKey() + ": " + scalar(e.getValue()));
            }
            out.println("  ...");
        }
        out.flush();
    }

    void bailOut(String reason) {
        out.println("Bail out! " + reason);
        out.flush();
    }

    /** A YAML scalar: plain when safe, otherwise double-quoted with escapes. */
    static String scalar(String v) {
        if (v.matches("[A-Za-z0-9_.\\-]+")) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
