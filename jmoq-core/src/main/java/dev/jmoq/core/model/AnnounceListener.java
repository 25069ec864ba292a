package dev.jmoq.core.model;

/**
 * Told when broadcasts under a prefix appear and end. Called on the thread that announced or withdrew,
 * with no lock held; implementations that own an event loop hop onto it.
 */
public interface AnnounceListener {
    /** {@code broadcast} is active at its path (it replaced any earlier one at that path). */
    void onAnnounce(Broadcast broadcast);

    /** No broadcast is active at {@code path} any more. */
    void onWithdraw(String path);
}
