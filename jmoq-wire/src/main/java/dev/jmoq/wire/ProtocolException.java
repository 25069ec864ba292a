package dev.jmoq.wire;

/**
 * Malformed or forbidden input. Carries the application error code to send on the offending stream or
 * session, says which of the two it applies to, and which configured size limit the input broke, if any
 * (so the receiver can count it as a limit violation, whatever the family's code for it).
 */
public final class ProtocolException extends Exception {
    /** The configured size limit an input went over, or {@link #NONE}. */
    public enum Limit {
        NONE,
        /** A control message larger than the receiver's maximum message size. */
        MESSAGE_SIZE,
        /** A frame (object payload) larger than the receiver's maximum frame size. */
        FRAME_SIZE
    }

    private final long code;
    private final boolean sessionFatal;
    private final Limit limit;

    public ProtocolException(long code, String message, boolean sessionFatal) {
        this(code, message, sessionFatal, Limit.NONE);
    }

    /** An input refused because it went over {@code limit}. */
    public ProtocolException(long code, String message, boolean sessionFatal, Limit limit) {
        super(message, null, false, false);
        this.code = code;
        this.sessionFatal = sessionFatal;
        this.limit = limit;
    }

    /** The size limit the input went over, or {@link Limit#NONE} for any other fault. */
    public Limit limit() {
        return limit;
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
