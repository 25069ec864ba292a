package dev.jmoq.relay.config;

import dev.jmoq.relay.RelayConfig;
import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration option: its TOML section and key, its type, what it does, and how to read its
 * effective value back from a {@link RelayConfig}. Immutable.
 *
 * @param section     TOML table ({@code server})
 * @param key         key in that table ({@code port})
 * @param type        parser, allowed values and TOML writer
 * @param description one line for docs and {@code --print-config}
 * @param get         the option's value in a config (null when unset)
 * @param <T>         value type
 */
public record OptionSpec<T>(String section, String key, ValueType<T> type, String description,
        Function<RelayConfig, T> get) {

    /** {@code section.key}, as used in messages and {@code --set}. */
    public String name() {
        return section + "." + key;
    }

    /** {@code JMOQ_SECTION_KEY}. */
    public String envVar() {
        return "JMOQ_" + section.toUpperCase(Locale.ROOT) + "_" + key.toUpperCase(Locale.ROOT);
    }

    /** The TOML text of this option's value in {@code config}, or null when it is unset. */
    public String tomlValue(RelayConfig config) {
        T v = get.apply(config);
        return v == null ? null : type.toToml(v);
    }
}
