package dev.jmoq.relay.config;

import dev.jmoq.relay.RelayConfig;
import java.util.Map;

/**
 * The configuration the relay runs with, and where each value came from. Immutable.
 *
 * @param config  the relay configuration
 * @param sources each option's provenance, by {@code section.key}
 */
public record EffectiveConfig(RelayConfig config, Map<String, Source> sources) {
    public EffectiveConfig {
        sources = Map.copyOf(sources);
    }

    public Source source(OptionSpec<?> option) {
        return sources.get(option.name());
    }

    /**
     * The configuration as a TOML document that loads back to the same values: every option, one per
     * line, each with a comment naming its source. Unset optional values print as {@code ""}.
     */
    public String toToml() {
        StringBuilder b = new StringBuilder();
        b.append("# jmoq relay: effective configuration (precedence: default < file < env < flag)\n");
        String section = null;
        for (OptionSpec<?> o : Options.ALL) {
            if (!o.section().equals(section)) {
                section = o.section();
                b.append('\n').append('[').append(section).append("]\n");
            }
            String value = o.tomlValue(config);
            b.append(o.key()).append(" = ").append(value == null ? "\"\"" : value)
                    .append("  # ").append(source(o).describe());
            if (value == null) {
                b.append(" (unset)");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
