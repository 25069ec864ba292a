package dev.jmoq.core.model;

/**
 * How broadcast paths from different clients are compared, and the form in which they are written back
 * to a peer that only accepts slashed paths. Stateless and thread-safe.
 *
 * <p>Comparison: two paths name the same broadcast when their {@link #normalize normal forms} are equal.
 * The normal form drops leading and trailing slashes and collapses runs of slashes, as moq-dev does on
 * every path it decodes ({@code Path::new} in {@code rs/moq-net/src/path.rs}, {@code Path.from} /
 * {@code Path.decode} in {@code @moq/lite} 0.2.2 and {@code @moq/net} 0.3.4). So {@code /X}, {@code X}
 * and {@code X/} are one broadcast, and gomoqt's {@code /room/alice} is moq-dev's {@code room/alice}.
 * Dot segments and length limits are not this class's concern ({@link Paths} validates).
 *
 * <p>Writing back: gomoqt (v0.16, {@code moqt/mux.go}) requires a broadcast path to start with
 * {@code /} ({@code isValidPath}) and looks it up byte for byte, and requires an announce prefix to be
 * {@code /} or to start and end with {@code /} ({@code isValidPrefix}); any other prefix panics its
 * announcement reader and writer. Every other peer normalizes what it decodes, so the slashed forms
 * below are safe to send to all of them: {@link #slashedPath} for SUBSCRIBE, FETCH and TRACK,
 * {@link #slashedPrefix} for ANNOUNCE_PLEASE. ANNOUNCE suffixes stay relative and unslashed: gomoqt
 * concatenates {@code prefix + suffix}.
 */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /**
     * The normal form of a path as received: no leading or trailing {@code /}, no empty segment.
     * {@code "/"} and {@code ""} are the root, {@code ""}. Returns its argument when already normal.
     */
    public static String normalize(String path) {
        int n = path.length();
        if (n == 0) {
            return path;
        }
        if (path.charAt(0) != '/' && path.charAt(n - 1) != '/' && path.indexOf("//") < 0) {
            return path;
        }
        StringBuilder b = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            while (i < n && path.charAt(i) == '/') {
                i++;
            }
            int start = i;
            while (i < n && path.charAt(i) != '/') {
                i++;
            }
            if (i > start) {
                if (!b.isEmpty()) {
                    b.append('/');
                }
                b.append(path, start, i);
            }
        }
        return b.toString();
    }

    /** True when the two paths, as received from any peers, name the same broadcast. */
    public static boolean sameBroadcast(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    /** A broadcast path in the slashed form gomoqt publishes and looks up: {@code "room/alice"} gives {@code "/room/alice"}. */
    public static String slashedPath(String path) {
        return "/" + normalize(path);
    }

    /**
     * An announce prefix in the slashed form gomoqt accepts: the root gives {@code "/"}, {@code "room"}
     * gives {@code "/room/"}.
     */
    public static String slashedPrefix(String prefix) {
        String p = normalize(prefix);
        return p.isEmpty() ? "/" : "/" + p + "/";
    }
}
