package dev.jmoq.relay.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed bundle matches its inputs: web/build records the SHA-256 of web/build.mjs, package.json,
 * package-lock.json and src/** in manifest.json, and this recomputes it, so a change to the pages' sources or
 * their locked dependencies without a rebuild fails here (with the command to run), without needing Node.
 * (That the bundle equals a fresh build byte for byte is checked by {@code web/build --check} in
 * scripts/test-all, which has Node.)
 */
class PageBundleTest {
    private static final Path WEB = Path.of("..", "web");

    @Test
    void theCommittedBundleWasBuiltFromTheCurrentSources() throws Exception {
        PageAssets assets = PageAssets.load(getClass().getClassLoader());
        assertEquals(inputsSha256(), assets.inputsSha256(),
                "the pages in jmoq-relay/src/main/resources/dev/jmoq/relay/pages are stale: run web/build and commit");
    }

    @Test
    void everyAssetAPageNamesIsInTheBundle() {
        PageAssets assets = PageAssets.load(getClass().getClassLoader());
        for (String page : List.of("index.html", "watch.html", "publish.html")) {
            String html = new String(assets.get(page).bytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("(?:src|href)=\"/(assets/[^\"]+)\"").matcher(html);
            int n = 0;
            while (m.find()) {
                assertNotNull(assets.get(m.group(1)), page + " names " + m.group(1));
                n++;
            }
            assertEquals(2, n, page + " has a script and a stylesheet");
        }
    }

    /** As web/build.mjs: SHA-256 over "path\0sha256(content)\n" of each input, in path order. */
    static String inputsSha256() throws Exception {
        List<String> inputs = new ArrayList<>(List.of("build.mjs", "package.json", "package-lock.json"));
        try (Stream<Path> src = Files.walk(WEB.resolve("src"))) {
            src.filter(Files::isRegularFile).map(p -> WEB.relativize(p).toString().replace('\\', '/')).forEach(inputs::add);
        }
        inputs.sort(null);
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        for (String p : inputs) {
            byte[] one = MessageDigest.getInstance("SHA-256").digest(read(WEB.resolve(p)));
            all.update((p + "\0" + HexFormat.of().formatHex(one) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(all.digest());
    }

    private static byte[] read(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " missing");
        return Files.readAllBytes(p);
    }
}
