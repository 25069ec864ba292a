package dev.jmoq.relay.config;

import java.nio.file.Path;

/** Where an effective configuration value came from, for {@code --print-config} and error messages. Immutable. */
public sealed interface Source {
    /** Short human text: {@code default}, {@code file relay.toml}, {@code env JMOQ_SERVER_PORT}, {@code flag --port}. */
    String describe();

    record Default() implements Source {
        @Override
        public String describe() {
            return "default";
        }
    }

    record File(Path path) implements Source {
        @Override
        public String describe() {
            return "file " + path;
        }
    }

    record Env(String variable) implements Source {
        @Override
        public String describe() {
            return "env " + variable;
        }
    }

    record Flag(String flag) implements Source {
        @Override
        public String describe() {
            return "flag " + flag;
        }
    }

    Source DEFAULT = new Default();
}
