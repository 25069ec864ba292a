package dev.jmoq.relay.auth;

/** Told of every refused session (to count it); called on the connection's event loop, must not block. */
@FunctionalInterface
public interface RefusalListener {
    void onRefused(RefusalReason reason);

    RefusalListener NONE = reason -> { };
}
