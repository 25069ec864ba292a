package dev.jmoq.wire;

/**
 * Malformed or forbidden input. Carries the application error code to send on the offending stream or
 * session, and says which of the two it applies to.
 */
public final class ProtocolException extends Exception {
    private final long code;
    private final boolean sessionFatal;

    public ProtocolException(long code, String message, boolean sessionFatal) {
        super(message, null, false, false);
        this.code = code;
        this.sessionFatal = sessionFatal;
    }

    /** The protocol error code to send. */
    public long code() {
        return code;
    }

    /** True when the whole session must close; false when resetting the stream is enough. */
    public boolean sessionFatal() {
        return sessionFatal;
    }
}
