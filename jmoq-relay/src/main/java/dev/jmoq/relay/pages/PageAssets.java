package dev.jmoq.relay.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bundled pages, read once from the class path ({@code dev/jmoq/relay/pages/}, listed by its
 * {@code manifest.json}) into memory. A request names a file only by an exact key of that list, so no path
 * can reach anything else (no file system, no directory listing, no {@code ..}).
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class PageAssets {
    /** Where web/build writes the bundle, on the class path. */
    public static final String ROOT = "dev/jmoq/relay/pages/";

    /**
     * One file. Immutable (the array is never handed out for writing).
     *
     * @param contentType the Content-Type header value
     * @param immutable   true for content-hashed names under {@code assets/} (cached for a year); false for HTML
     * @param bytes       the content
     */
    public record Asset(String contentType, boolean immutable, byte[] bytes) {
    }

    private final Map<String, Asset> files;
    private final String inputsSha256;

    private PageAssets(Map<String, Asset> files, String inputsSha256) {
        this.files = Map.copyOf(files);
        this.inputsSha256 = inputsSha256;
    }

    /**
     * Loads the bundle from {@code loader}.
     *
     * @throws IllegalStateException the manifest or a listed file is missing (a broken build)
     */
    public static PageAssets load(ClassLoader loader) {
        try {
            JsonNode manifest = new ObjectMapper().readTree(read(loader, ROOT + "manifest.json"));
            Map<String, Asset> files = new HashMap<>();
            for (JsonNode n : manifest.path("files")) {
                String name = n.asText();
                files.put(name, new Asset(contentType(name), name.startsWith("assets/"), read(loader, ROOT + name)));
            }
            return new PageAssets(files, manifest.path("inputs_sha256").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled pages: " + e.getMessage(), e);
        }
    }

    private static byte[] read(ClassLoader loader, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (run web/build and rebuild)");
            }
            return in.readAllBytes();
        }
    }

    /** The Content-Type for a bundled file name (by extension; the bundle holds no other kinds). */
    static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        String ext = dot < 0 ? "" : lower.substring(dot + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json", "map" -> "application/json";
            case "wasm" -> "application/wasm";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "woff2" -> "font/woff2";
            default -> "application/octet-stream";
        };
    }

    /** The file named exactly {@code name} ({@code index.html}, {@code assets/watch-AB12.js}), or null. */
    public Asset get(String name) {
        return files.get(name);
    }

    /** The SHA-256 of the bundle's inputs (web/build's manifest). */
    public String inputsSha256() {
        return inputsSha256;
    }

    /** The names of the bundled files. */
    public java.util.Set<String> names() {
        return files.keySet();
    }
}
