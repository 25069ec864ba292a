package dev.jmoq.relay.config;

/**
 * An invalid configuration: names the option (when one is to blame), where its value came from and what
 * is allowed. Start-up stops with exit code {@link #EXIT_CODE}.
 */
public final class ConfigException extends Exception {
    /** The process exit code for a configuration error (picocli's usage-error code). */
    public static final int EXIT_CODE = 2;

    private final String option;

    public ConfigException(String option, String message) {
        super(message, null, false, false);
        this.option = option;
    }

    /** The option to blame ({@code limits.sessions}), or null for a file that cannot be read or parsed. */
    public String option() {
        return option;
    }
}
