package dev.jmoq.core.model;

/**
 * Broadcast paths: segments joined by {@code /}, compared segment by segment. Stateless.
 *
 * <p>A path is normalized by dropping empty segments (leading, trailing and doubled slashes), so
 * {@code "/room//alice/"} is {@code "room/alice"}. A prefix matches a path at segment boundaries only:
 * {@code room} matches {@code room} and {@code room/alice}, never {@code roomy}.
 *
 * <p>Validation ({@link #problem}) is the one place that says which paths the relay stores: at most
 * {@link #MAX_LENGTH} characters, no {@code .} or {@code ..} segment (a client that resolves dot segments
 * would read {@code room/alice/../bob} as {@code room/bob}, outside the grant that admitted it), and no control
 * character (C0, DEL, C1; NUL included). Unicode is compared as sent, code point by code point, without
 * normalization (docs/decisions/0004-broadcast-paths.md). Callers check every path where it enters: the
 * session root (URL path or token root), ANNOUNCE, ANNOUNCE_PLEASE and SUBSCRIBE.
 */
public final class Paths {
    /** Longest path accepted, in characters (UTF-16 units, as {@link String#length}), after joining the root. */
    public static final int MAX_LENGTH = 1024;

    /** Why a path is refused. */
    public enum Problem {
        /** Longer than {@link #MAX_LENGTH}. */
        TOO_LONG("longer than " + MAX_LENGTH + " characters"),
        /** A {@code .} or {@code ..} segment. */
        DOT_SEGMENT("has a . or .. segment"),
        /** A control character (U+0000 to U+001F, U+007F to U+009F). */
        CONTROL_CHARACTER("has a control character");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        /** A short phrase for logs and errors ("has a . or .. segment"). */
        public String description() {
            return description;
        }
    }

    private Paths() {
    }

    /**
     * What is wrong with {@code path} (raw or normalized: empty segments are allowed, they normalize away), or
     * null when it may be stored. O(length), no allocation.
     */
    public static Problem problem(String path) {
        if (path.length() > MAX_LENGTH) {
            return Problem.TOO_LONG;
        }
        int segmentStart = 0;
        for (int i = 0; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (c == '/') {
                int n = i - segmentStart;
                if ((n == 1 || n == 2) && path.charAt(segmentStart) == '.' && path.charAt(i - 1) == '.') {
                    return Problem.DOT_SEGMENT;
                }
                segmentStart = i + 1;
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return Problem.CONTROL_CHARACTER;
            }
        }
        return null;
    }

    /**
     * {@code path} normalized, after checking it.
     *
     * @throws IllegalArgumentException naming the {@link Problem} when {@code path} may not be stored
     */
    public static String checked(String path) {
        Problem p = problem(path);
        if (p != null) {
            throw new IllegalArgumentException("path " + p.description() + ": \""
                    + path.substring(0, Math.min(path.length(), 64)).replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        return normalize(path);
    }

    /** The normal form of a path; see {@link PathNormalizer#normalize} (where paths are compared). */
    public static String normalize(String path) {
        return PathNormalizer.normalize(path);
    }

    /** True when normalized {@code prefix} is {@code path} or one of its ancestors. The empty prefix matches all. */
    public static boolean hasPrefix(String path, String prefix) {
        if (prefix.isEmpty()) {
            return true;
        }
        if (!path.startsWith(prefix)) {
            return false;
        }
        return path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }

    /** {@code path} relative to {@code prefix} (which must match it); empty when they are equal. */
    public static String suffix(String path, String prefix) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.length() == prefix.length() ? "" : path.substring(prefix.length() + 1);
    }

    /** Joins two normalized paths. */
    public static String join(String prefix, String suffix) {
        if (prefix.isEmpty()) {
            return suffix;
        }
        if (suffix.isEmpty()) {
            return prefix;
        }
        return prefix + "/" + suffix;
    }
}
