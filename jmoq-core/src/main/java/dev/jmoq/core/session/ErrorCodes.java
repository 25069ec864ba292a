package dev.jmoq.core.session;

/** A protocol family's wire code for each {@link SessionError}. Stateless and thread-safe. */
@FunctionalInterface
public interface ErrorCodes {
    /** The wire code that resets a stream or closes a session for {@code error}. */
    long code(SessionError error);
}
