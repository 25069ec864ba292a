package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Delivery;
import dev.jmoq.core.model.GroupOrder;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Subscriber priority and group order on the IETF wire (draft-ietf-moq-transport-14..20, "Priorities"),
 * read from requests and said in answers:
 * <ul>
 * <li>SUBSCRIBE / FETCH / REQUEST_UPDATE: Subscriber Priority and Group Order inline on 14, the
 *     SUBSCRIBER_PRIORITY (0x20) and GROUP_ORDER (0x22) parameters from 15 (the codec folds 14's fields
 *     into the same parameters). Absent: 128 and the publisher's order.</li>
 * <li>SUBSCRIBE_OK: the delivered order inline on 14 ("Group Order", 1 or 2), the GROUP_ORDER parameter on
 *     15; from 16 the publisher's preference as the DEFAULT_PUBLISHER_GROUP_ORDER (0x22) Track Property
 *     (a Track Extension on 16), whose absence means ascending, so the relay says descending.</li>
 * </ul>
 * Stateless.
 */
final class IetfPriorities {
    /** What this relay prefers for the tracks it serves when the subscriber leaves it the choice. */
    static final GroupOrder PUBLISHER_ORDER = GroupOrder.DESCENDING;
    private static final long DEFAULT_PUBLISHER_GROUP_ORDER = 0x22;

    private IetfPriorities() {
    }

    /**
     * The delivery a request asks for: SUBSCRIBER_PRIORITY (0..255, default 128) and GROUP_ORDER (0 or
     * absent: the publisher's; 1 ascending; 2 descending). Null when either is out of range: the draft's
     * PROTOCOL_VIOLATION.
     */
    static Delivery delivery(Parameters ps) {
        long priority = ps.number(MessageParameter.SUBSCRIBER_PRIORITY).orElse((long) Delivery.DEFAULT.priority());
        GroupOrder order = GroupOrder.ofIetf(ps.number(MessageParameter.GROUP_ORDER).orElse(0L));
        if (priority < 0 || priority > 255 || order == null) {
            return null;
        }
        return new Delivery((int) priority, order);
    }

    /** What {@link #updatedPriority} returns for a value outside 0..255: a PROTOCOL_VIOLATION. */
    static final int OUT_OF_RANGE = -2;

    /**
     * The new subscriber priority of a REQUEST_UPDATE / SUBSCRIBE_UPDATE: -1 when it says none,
     * {@link #OUT_OF_RANGE} for a value outside 0..255.
     */
    static int updatedPriority(Parameters ps) {
        var p = ps.number(MessageParameter.SUBSCRIBER_PRIORITY);
        if (p.isEmpty()) {
            return -1;
        }
        return p.getAsLong() < 0 || p.getAsLong() > 255 ? OUT_OF_RANGE : (int) p.getAsLong();
    }

    /** {@code ps} with SUBSCRIBE_OK's group order where the draft has it as a field or parameter (14, 15). */
    static Parameters subscribeOk(IetfVersion v, Parameters ps, GroupOrder delivered) {
        if (v.draft() <= 15) {
            return ps.with(new Parameter.Int(MessageParameter.GROUP_ORDER, delivered.code));
        }
        return ps;
    }

    /** SUBSCRIBE_OK's Track Properties (16+): DEFAULT_PUBLISHER_GROUP_ORDER = the relay's preference. */
    static Octets trackProperties(IetfVersion v) {
        if (!v.hasTrackProperties()) {
            return Octets.EMPTY;
        }
        ByteBuf b = Unpooled.buffer(4);
        try {
            v.varint().write(b, DEFAULT_PUBLISHER_GROUP_ORDER); // the first pair: its type as the delta from 0
            v.varint().write(b, PUBLISHER_ORDER.code);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            return Octets.of(bytes);
        } finally {
            b.release();
        }
    }

    /** An upstream SUBSCRIBE's parameters for {@code d}: its priority, and its order unless left to the publisher. */
    static Parameters upstream(Delivery d, Parameters ps) {
        ps = ps.with(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, d.priority()));
        return d.order() == GroupOrder.PUBLISHER ? ps : ps.with(new Parameter.Int(MessageParameter.GROUP_ORDER, d.order().code));
    }
}
