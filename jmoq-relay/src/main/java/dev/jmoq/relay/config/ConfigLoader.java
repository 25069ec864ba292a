package dev.jmoq.relay.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.jmoq.relay.RelayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the relay configuration from its four layers, each overriding the one before: embedded defaults,
 * a TOML file, environment variables {@code JMOQ_<SECTION>_<KEY>}, and command-line flags. Every value
 * is checked; the first invalid one stops loading with a {@link ConfigException} that names the option,
 * the source and what is allowed. Stateless; thread-safe.
 */
public final class ConfigLoader {
    private static final TomlMapper TOML = new TomlMapper();

    private ConfigLoader() {
    }

    /**
     * @param file  TOML file, or null for none
     * @param env   the environment (only {@code JMOQ_} variables of known sections are read)
     * @param flags options given on the command line, applied in order
     */
    public static EffectiveConfig load(Path file, Map<String, String> env, List<FlagValue> flags)
            throws ConfigException {
        RelayConfig defaults = RelayConfig.defaults();
        Map<OptionSpec<?>, Object> values = new HashMap<>();
        Map<String, Source> sources = new HashMap<>();
        for (OptionSpec<?> o : Options.ALL) {
            values.put(o, o.get().apply(defaults));
            sources.put(o.name(), Source.DEFAULT);
        }
        if (file != null) {
            Source src = new Source.File(file);
            for (Map.Entry<OptionSpec<?>, Object> e : readFile(file).entrySet()) {
                set(values, sources, e.getKey(), e.getValue(), src);
            }
        }
        List<String> sections = Options.sections();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String var = e.getKey();
            if (!var.startsWith("JMOQ_")) {
                continue;
            }
            OptionSpec<?> spec = null;
            for (OptionSpec<?> o : Options.ALL) {
                if (o.envVar().equals(var)) {
                    spec = o;
                }
            }
            if (spec == null) {
                String rest = var.substring(5);
                int us = rest.indexOf('_');
                String section = (us < 0 ? rest : rest.substring(0, us)).toLowerCase(java.util.Locale.ROOT);
                if (sections.contains(section)) {
                    // A typo in a known section would otherwise be silently ignored.
                    throw new ConfigException(null, "unknown environment variable " + var + "; the ["
                            + section + "] options are " + envVarsOf(section));
                }
                continue;
            }
            set(values, sources, spec, e.getValue(), new Source.Env(var));
        }
        for (FlagValue f : flags) {
            OptionSpec<?> spec = Options.byName(f.option());
            if (spec == null) {
                throw new ConfigException(f.option(), "unknown option \"" + f.option() + "\" (" + f.flag()
                        + "); options are section.key names listed by --print-config");
            }
            set(values, sources, spec, f.value(), new Source.Flag(f.flag()));
        }
        Options.Values v = new Options.Values() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(OptionSpec<T> option) {
                return (T) values.get(option);
            }
        };
        if ((v.get(Options.TLS_CERTIFICATE) == null) != (v.get(Options.TLS_PRIVATE_KEY) == null)) {
            OptionSpec<?> missing = v.get(Options.TLS_CERTIFICATE) == null ? Options.TLS_CERTIFICATE
                    : Options.TLS_PRIVATE_KEY;
            OptionSpec<?> given = missing == Options.TLS_CERTIFICATE ? Options.TLS_PRIVATE_KEY : Options.TLS_CERTIFICATE;
            throw new ConfigException(missing.name(), "invalid configuration: " + given.name() + " is set ("
                    + sources.get(given.name()).describe() + ") but " + missing.name()
                    + " is not; allowed: both or neither");
        }
        try {
            return new EffectiveConfig(Options.assemble(v), sources);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(null, "invalid configuration: " + e.getMessage());
        }
    }

    private static void set(Map<OptionSpec<?>, Object> values, Map<String, Source> sources, OptionSpec<?> spec,
            Object raw, Source source) throws ConfigException {
        try {
            values.put(spec, spec.type().parse(raw));
        } catch (InvalidValue e) {
            throw new ConfigException(spec.name(), "invalid value for " + spec.name() + " = " + show(raw) + " ("
                    + source.describe() + "): " + e.getMessage() + "; allowed: " + spec.type().allowed());
        }
        sources.put(spec.name(), source);
    }

    /** The options set in {@code file}, as raw values. */
    static Map<OptionSpec<?>, Object> readFile(Path file) throws ConfigException {
        JsonNode root;
        try {
            root = TOML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "configuration file not found: " + file);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(null, "configuration file " + file + " is not valid TOML" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<OptionSpec<?>, Object> out = new java.util.LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        for (Map.Entry<String, JsonNode> section : root.properties()) {
            if (!section.getValue().isObject()) {
                throw new ConfigException(section.getKey(), "in " + file + ": \"" + section.getKey()
                        + "\" is not a table; options belong in the sections " + Options.sections());
            }
            for (Map.Entry<String, JsonNode> entry : section.getValue().properties()) {
                String name = section.getKey() + "." + entry.getKey();
                OptionSpec<?> spec = Options.byName(name);
                if (spec == null) {
                    throw new ConfigException(name, "unknown option " + name + " in " + file + "; known options: "
                            + knownIn(section.getKey()));
                }
                out.put(spec, raw(entry.getValue()));
            }
        }
        return out;
    }

    private static Object raw(JsonNode n) {
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode e : n) {
                list.add(raw(e));
            }
            return list;
        }
        return n; // a table where a value was expected: no type accepts it
    }

    private static String show(Object raw) {
        if (raw instanceof String s) {
            return ValueType.quote(s);
        }
        return String.valueOf(raw);
    }

    private static String knownIn(String section) {
        List<String> names = Options.ALL.stream().filter(o -> o.section().equals(section)).map(OptionSpec::name)
                .toList();
        return names.isEmpty() ? "none in [" + section + "]; sections are " + Options.sections() : names.toString();
    }

    private static String envVarsOf(String section) {
        return Options.ALL.stream().filter(o -> o.section().equals(section)).map(OptionSpec::envVar).toList()
                .toString();
    }
}
