package dev.jmoq.core.model;

import java.util.Objects;

/**
 * What a subscriber asked about delivery: its priority within its session and the group order. The
 * priority is on the IETF scale (draft-ietf-moq-transport-14..20, "Priorities": 0..255, a lower number is
 * more urgent, 128 the middle); moq-lite's subscriber priority, where a higher value goes first
 * (draft-lcurley-moq-lite, SUBSCRIBE "Subscriber Priority"), maps as {@code 255 - value}
 * ({@link #ofLite}, {@link #litePriority}).
 *
 * <p>A track filled from upstream keeps the delivery of the subscriber that caused it to be requested
 * ({@link Track#requested()}): the upstream subscription, shared by every later subscriber, asks for it.
 *
 * @param priority 0..255, lower is more urgent
 * @param order    the group order asked for ({@link GroupOrder#PUBLISHER}: left to the publisher)
 */
public record Delivery(int priority, GroupOrder order) {
    /** The middle priority and the publisher's order: what a request that says nothing gets. */
    public static final Delivery DEFAULT = new Delivery(128, GroupOrder.PUBLISHER);

    public Delivery {
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority must be 0..255: " + priority);
        }
        Objects.requireNonNull(order, "order");
    }

    /** A moq-lite subscription's delivery: priority {@code 255 - litePriority}, order from {@code ordered}. */
    public static Delivery ofLite(int litePriority, boolean ordered) {
        return new Delivery(255 - litePriority, GroupOrder.ofLite(ordered));
    }

    /** The priority on moq-lite's scale (a higher value goes first). */
    public int litePriority() {
        return 255 - priority;
    }

    public Delivery withPriority(int p) {
        return new Delivery(p, order);
    }
}
