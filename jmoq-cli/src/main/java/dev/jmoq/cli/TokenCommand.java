package dev.jmoq.cli;

import dev.jmoq.relay.auth.JwtAlgorithm;
import dev.jmoq.relay.auth.JwtKey;
import dev.jmoq.relay.auth.Jwt;
import dev.jmoq.relay.auth.KeyFormatException;
import dev.jmoq.relay.auth.KeySet;
import dev.jmoq.relay.auth.TokenClaims;
import dev.jmoq.relay.config.Durations;
import dev.jmoq.relay.config.InvalidValue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jmoq token}: makes signing keys and relay tokens (moq-token compatible claims and JWKs). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Generate signing keys and sign relay tokens (see docs/operations.md).",
        subcommands = {TokenCommand.GenerateKey.class, TokenCommand.Sign.class})
public final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code jmoq token generate-key}: a new key written as a JWK (owner-only file). */
    @Command(name = "generate-key", mixinStandardHelpOptions = true,
            description = "Write a new signing key as a JWK. For ES256 and EdDSA, --public-out writes the verify-only key the relay needs.")
    static final class GenerateKey implements Callable<Integer> {
        @Option(names = "--alg", description = "HS256, ES256 or EdDSA (default: ${DEFAULT-VALUE}).", defaultValue = "HS256")
        JwtAlgorithm alg;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key (must not exist).")
        Path out;

        @Option(names = "--public-out", paramLabel = "FILE", description = "Also write the public (verify-only) JWK here.")
        Path publicOut;

        @Option(names = "--kid", description = "Key id, put in the JWK and in every token it signs.")
        String kid;

        PrintStream err = System.err;

        @Override
        public Integer call() throws IOException {
            if (publicOut != null && alg == JwtAlgorithm.HS256) {
                err.println("jmoq: an HS256 key is a shared secret; it has no public part (drop --public-out)");
                return 2;
            }
            JwtKey key = JwtKey.generate(alg, kid);
            try {
                writeOwnerOnly(out, key.toJwk(true).toPrettyString() + "\n");
                if (publicOut != null) {
                    Files.writeString(publicOut, key.toJwk(false).toPrettyString() + "\n",
                            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                }
            } catch (FileAlreadyExistsException e) {
                err.println("jmoq: " + e.getFile() + " exists; not overwriting a key");
                return 2;
            }
            err.println("wrote " + alg + " key to " + out + (publicOut != null ? " and its public key to " + publicOut : ""));
            return 0;
        }

        private static void writeOwnerOnly(Path file, String text) throws IOException {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text);
        }
    }

    /** {@code jmoq token sign}: prints a token for the relay's {@code ?jwt=} parameter. */
    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Print a signed token. Paths in --put and --get are relative to --root; \"\" means all of it.")
    static final class Sign implements Callable<Integer> {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "Signing key (JWK, or base64url JWK as moq-token writes).")
        Path key;

        @Option(names = "--root", defaultValue = "", description = "Root path the grants are relative to (default: the relay's root).")
        String root;

        @Option(names = "--put", paramLabel = "PREFIX", description = "Prefix the holder may publish under (repeatable).")
        List<String> put = new ArrayList<>();

        @Option(names = "--get", paramLabel = "PREFIX", description = "Prefix the holder may subscribe to (repeatable).")
        List<String> get = new ArrayList<>();

        @Option(names = "--expires", paramLabel = "DURATION", description = "Lifetime, e.g. 1h, 30m, 7d (default: never expires).")
        String expires;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws IOException {
            if (put.isEmpty() && get.isEmpty()) {
                err.println("jmoq: a token must grant something: give --put and/or --get (\"\" grants all of --root)");
                return 2;
            }
            Instant now = Instant.now();
            Instant exp = null;
            if (expires != null) {
                try {
                    Duration d = Durations.parse(expires);
                    if (d.isZero() || d.isNegative()) {
                        throw new InvalidValue("must be positive");
                    }
                    exp = now.plus(d);
                } catch (InvalidValue e) {
                    err.println("jmoq: --expires " + expires + ": " + e.getMessage() + "; allowed: a duration such as 30m, 1h, 7d");
                    return 2;
                }
            }
            JwtKey signer;
            try {
                signer = KeySet.loadOne(key);
            } catch (KeyFormatException e) {
                err.println("jmoq: " + key + ": " + e.getMessage());
                return 2;
            }
            if (!signer.canSign()) {
                err.println("jmoq: " + key + " cannot sign (a public key, or key_ops without sign)");
                return 2;
            }
            out.println(Jwt.sign(new TokenClaims(root, put, get, exp, Instant.ofEpochSecond(now.getEpochSecond())), signer));
            return 0;
        }
    }
}
