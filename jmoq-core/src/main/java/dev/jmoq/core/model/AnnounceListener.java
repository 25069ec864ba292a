package dev.jmoq.core.model;

/**
 * Told when broadcasts under a prefix appear, change route and end. Called on the thread that announced
 * or withdrew, with no lock held; implementations that own an event loop hop onto it.
 */
public interface AnnounceListener {
    /** {@code broadcast} is active at its path (it replaced any earlier one at that path). */
    void onAnnounce(Broadcast broadcast);

    /** No broadcast is active at {@code path} any more. */
    void onWithdraw(String path);

    /**
     * The active route at a path changed from {@code previous} to {@code next} (same path): a publisher
     * republished from another session while the old one is still open, or the active route was withdrawn
     * and a fallback took over. Subscriptions bound to {@code previous} are ended by the origin
     * ({@link Broadcast#routeLost()}); what a listener must do is tell its peer, so the peer re-subscribes.
     *
     * <p>The default says it as the drafts without a restart message must: {@link #onWithdraw} then
     * {@link #onAnnounce} (moq-lite 01-04: ANNOUNCE ended then active; IETF moq-transport: NAMESPACE_DONE
     * then NAMESPACE, or PUBLISH_NAMESPACE_DONE then PUBLISH_NAMESPACE). A family whose draft lets a second
     * {@code active} replace the first (moq-lite-05) may override it to send only that.
     */
    default void onReplace(Broadcast previous, Broadcast next) {
        onWithdraw(previous.path());
        onAnnounce(next);
    }
}
