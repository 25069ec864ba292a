package dev.jmoq.relay.auth;

/** A key file or JWK that cannot be used. */
public final class KeyFormatException extends Exception {
    public KeyFormatException(String message) {
        super(message, null, false, false);
    }
}
