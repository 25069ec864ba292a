package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.GroupOrder;
import java.util.ArrayList;
import java.util.TreeMap;

/**
 * The urgencies of one session's data streams: the scheduling rule of draft-ietf-moq-transport-14..20,
 * "Priorities" (subscriber priority first, then publisher priority, then the subscription's group order),
 * and of draft-lcurley-moq-lite, "Prioritization" (Priority between tracks, Ordered within one), mapped
 * onto the 8 urgencies a QUIC stream has (RFC 9218 style, 0 most urgent; Netty's {@code QuicStreamPriority},
 * the qmux {@code SendScheduler}).
 *
 * <p>Mapping: every subscription (a {@link Member}) has a class, its (subscriber priority, publisher
 * priority) pair, both on the IETF scale (lower is more urgent; moq-lite's priority enters as
 * {@code 255 - value}). The distinct classes of the session's live members, in order, split urgencies
 * {@value #MOST_URGENT}..{@value #LEAST_URGENT} into consecutive bands: with C classes, class c gets
 * {@code [1 + c*7/C, c*7/C + 7/C]} (integer division; when there are more than 7 classes, neighbours share
 * a level). Within its band a subscription's open streams are ranked by the group's publisher priority,
 * then by group order (descending: the newest group first; ascending: the oldest first): the first gets
 * the band's first urgency, each next one level more, the rest the band's last. So one subscription alone
 * keeps the whole 1..7 range (the preferred group 1, others demoted one level each), and a subscription of
 * a more urgent class is never behind one of a less urgent class. Urgency 0 is left to streams never
 * ranked (control streams, requests and their answers): the transports send those at 0
 * ({@link dev.jmoq.transport.SendStream#setPriority}), ahead of every data stream.
 *
 * <p>A member's class is counted while the member lives (from the egress's start to its end), not only
 * while it has open streams, so the bands do not change each time a subscription is between groups. A
 * change of the class set (a member joins, leaves, or changes class: SUBSCRIBE_UPDATE / REQUEST_UPDATE, or
 * a group with a new publisher priority) re-bands every member, which re-ranks its streams at once.
 *
 * <p>Threading: not thread-safe; one per session, used on the session's event loop only.
 */
public final class StreamRanking {
    /** The most urgent level data streams get. */
    public static final int MOST_URGENT = 1;
    /** The least urgent level. */
    public static final int LEAST_URGENT = 7;
    private static final int LEVELS = LEAST_URGENT - MOST_URGENT + 1;

    /** Live members per class (subscriber priority << 8 | publisher priority). */
    private final TreeMap<Integer, Integer> classes = new TreeMap<>();
    private final ArrayList<Member> members = new ArrayList<>();
    /** Each class's position in {@link #classes}, rebuilt by {@link #rebandAll}. */
    private final java.util.HashMap<Integer, Integer> indexes = new java.util.HashMap<>();

    /**
     * A new member of class (subscriberPriority, {@link Group#DEFAULT_PUBLISHER_PRIORITY}).
     *
     * @param subscriberPriority 0..255, lower is more urgent
     * @param order              the resolved group order (ascending or descending)
     * @param onBandChange       runs (on this loop) when the member's band changes: re-rank its streams
     */
    public Member join(int subscriberPriority, GroupOrder order, Runnable onBandChange) {
        if (order == GroupOrder.PUBLISHER) {
            throw new IllegalArgumentException("resolve the publisher's order first");
        }
        Member m = new Member(check(subscriberPriority), order, onBandChange);
        members.add(m);
        if (add(m.key())) {
            rebandAll(m);
        } else {
            band(m, m); // into an existing class: the others' bands stay
        }
        return m;
    }

    /** The number of live members. */
    public int size() {
        return members.size();
    }

    private static int check(int priority) {
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority must be 0..255: " + priority);
        }
        return priority;
    }

    /** Counts a member of class {@code key}; true when the class is new. */
    private boolean add(int key) {
        return classes.merge(key, 1, Integer::sum) == 1;
    }

    private boolean remove(int key) {
        Integer n = classes.get(key);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            classes.remove(key);
            return true;
        }
        classes.put(key, n - 1);
        return false;
    }

    /**
     * Recomputes every member's band; runs the callbacks of those whose band moved (not {@code quiet}'s).
     * O(members + classes), and only when the set of classes changes: a session may carry thousands of
     * subscriptions, and each join, leave and priority update of one of them comes here.
     */
    private void rebandAll(Member quiet) {
        indexes.clear();
        for (Integer key : classes.keySet()) {
            indexes.put(key, indexes.size());
        }
        for (Member m : members) {
            band(m, quiet);
        }
    }

    /**
     * Sets {@code m}'s band from its class's index ({@link #indexes}, current while the set of classes is
     * unchanged since the last {@link #rebandAll}); runs its callback when the band moved, unless it is
     * {@code quiet}.
     */
    private void band(Member m, Member quiet) {
        int count = Math.max(1, classes.size());
        int index = indexes.get(m.key());
        int first = MOST_URGENT + index * LEVELS / count;
        int last = Math.max(first, MOST_URGENT + (index + 1) * LEVELS / count - 1);
        if (first != m.first || last != m.last) {
            m.first = first;
            m.last = last;
            if (m != quiet && m.onBandChange != null) {
                m.onBandChange.run();
            }
        }
    }

    /**
     * One subscription (or one FETCH answer) in the ranking: its class, its band, and the rank of its
     * streams within the band.
     */
    public final class Member {
        private int subscriberPriority;
        private int publisherPriority = Group.DEFAULT_PUBLISHER_PRIORITY;
        private final GroupOrder order;
        private final Runnable onBandChange;
        private int first = MOST_URGENT;
        private int last = LEAST_URGENT;
        private boolean left;

        private Member(int subscriberPriority, GroupOrder order, Runnable onBandChange) {
            this.subscriberPriority = subscriberPriority;
            this.order = order;
            this.onBandChange = onBandChange;
        }

        private int key() {
            return subscriberPriority << 8 | publisherPriority;
        }

        public int subscriberPriority() {
            return subscriberPriority;
        }

        public GroupOrder order() {
            return order;
        }

        /** The subscriber priority changed (SUBSCRIBE_UPDATE / REQUEST_UPDATE): re-band the session. */
        public void subscriberPriority(int priority) {
            move(check(priority), publisherPriority);
        }

        /** The subscription's publisher priority (its newest group's) changed: re-band the session. */
        public void publisherPriority(int priority) {
            move(subscriberPriority, check(priority));
        }

        private void move(int subscriber, int publisher) {
            if (left || (subscriber == subscriberPriority && publisher == publisherPriority)) {
                return;
            }
            boolean removed = remove(key());
            subscriberPriority = subscriber;
            publisherPriority = publisher;
            if (add(key()) || removed) {
                rebandAll(null);
            } else {
                band(this, null); // from one existing class to another: only this member's band moves
            }
        }

        /** Leaves the ranking (idempotent): the other members' bands widen. */
        public void leave() {
            if (left) {
                return;
            }
            left = true;
            members.remove(this);
            if (remove(key())) {
                rebandAll(null);
            }
        }

        /** The urgency of the stream ranked {@code rank} (0 = this member's most preferred) in this member's band. */
        public int urgency(int rank) {
            return Math.min(last, first + Math.max(0, rank));
        }

        /**
         * Sets each open stream's urgency: its rank among the subscription's open streams (how many of
         * them go {@link #before} it) placed in this member's band ({@link #urgency}); under descending
         * order older groups are demoted as newer ones open and promoted again as newer ones finish. Only
         * changes reach the transport.
         */
        void rank(Iterable<EgressGroup> sending) {
            for (EgressGroup s : sending) {
                if (s.stream == null) {
                    continue;
                }
                int ahead = 0;
                for (EgressGroup o : sending) {
                    if (o != s && o.stream != null && before(o.group, s.group)) {
                        ahead++;
                    }
                }
                int urgency = urgency(ahead);
                if (urgency != s.urgency) {
                    s.urgency = urgency;
                    s.stream.setPriority(urgency);
                }
            }
        }

        /**
         * True when group {@code a} goes before group {@code b} within this subscription: the lower publisher
         * priority number first, then by the group order.
         */
        public boolean before(Group a, Group b) {
            if (a.publisherPriority() != b.publisherPriority()) {
                return a.publisherPriority() < b.publisherPriority();
            }
            return order == GroupOrder.ASCENDING ? a.sequence() < b.sequence() : a.sequence() > b.sequence();
        }
    }
}
