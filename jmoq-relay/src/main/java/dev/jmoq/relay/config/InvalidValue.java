package dev.jmoq.relay.config;

/** A value that does not parse as its option's type; the loader adds the option's name and source. */
public final class InvalidValue extends Exception {
    public InvalidValue(String message) {
        super(message, null, false, false);
    }
}
