package dev.jmoq.relay.config;

/**
 * An option set on the command line.
 *
 * @param option the option's name, {@code section.key}
 * @param value  its text, parsed like an environment variable's
 * @param flag   how it was given, for provenance ({@code --port}, {@code --set limits.sessions})
 */
public record FlagValue(String option, String value, String flag) {
}
