package dev.jmoq.relay.auth;

/** A token that cannot be accepted; {@link #reason()} is the metric label. */
public final class TokenException extends Exception {
    private final RefusalReason reason;

    public TokenException(RefusalReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RefusalReason reason() {
        return reason;
    }
}
