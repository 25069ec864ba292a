package dev.jmoq.core.model;

/**
 * Broadcast paths: segments joined by {@code /}, compared segment by segment. Stateless.
 *
 * <p>A path is normalized by dropping empty segments (leading, trailing and doubled slashes), so
 * {@code "/room//alice/"} is {@code "room/alice"}. A prefix matches a path at segment boundaries only:
 * {@code room} matches {@code room} and {@code room/alice}, never {@code roomy}.
 */
public final class Paths {
    /** Longest path accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    private Paths() {
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
