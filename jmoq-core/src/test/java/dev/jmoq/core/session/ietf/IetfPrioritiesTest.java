package dev.jmoq.core.session.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jmoq.core.model.Delivery;
import dev.jmoq.core.model.GroupOrder;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.SubscribeOk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Subscriber priority and group order on the IETF wire (draft-ietf-moq-transport-14..20, "Priorities"):
 * what a request asks for, and what SUBSCRIBE_OK says on each draft, through the real codec.
 */
class IetfPrioritiesTest {
    @Test
    void aRequestsPriorityAndOrderWithTheirDefaults() {
        assertEquals(Delivery.DEFAULT, IetfPriorities.delivery(Parameters.EMPTY));
        assertEquals(new Delivery(7, GroupOrder.DESCENDING), IetfPriorities.delivery(Parameters.of(
                new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 7), new Parameter.Int(MessageParameter.GROUP_ORDER, 2))));
        assertNull(IetfPriorities.delivery(Parameters.of(new Parameter.Int(MessageParameter.GROUP_ORDER, 3))),
                "an order outside 0..2 is a protocol violation");
        assertNull(IetfPriorities.delivery(Parameters.of(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 256))));
        assertEquals(-1, IetfPriorities.updatedPriority(Parameters.EMPTY));
        assertEquals(0, IetfPriorities.updatedPriority(Parameters.of(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 0))));
        assertEquals(IetfPriorities.OUT_OF_RANGE,
                IetfPriorities.updatedPriority(Parameters.of(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 300))));
    }

    @Test
    void upstreamAsksForTheFirstSubscribersValues() {
        Parameters ps = IetfPriorities.upstream(new Delivery(9, GroupOrder.ASCENDING), Parameters.EMPTY);
        assertEquals(9, ps.number(MessageParameter.SUBSCRIBER_PRIORITY).orElse(-1));
        assertEquals(1, ps.number(MessageParameter.GROUP_ORDER).orElse(-1));
        assertFalse(IetfPriorities.upstream(Delivery.DEFAULT, Parameters.EMPTY).number(MessageParameter.GROUP_ORDER)
                .isPresent(), "left to the publisher: no GROUP_ORDER");
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void subscribeOkSaysTheOrderAsEachDraftHasIt(IetfVersion v) throws Exception {
        Parameters ps = v.hasInlineSubscriptionFields()
                ? Parameters.of(new Parameter.Int(MessageParameter.EXPIRES, 0)) : Parameters.EMPTY;
        SubscribeOk ok = new SubscribeOk(0, 1, IetfPriorities.subscribeOk(v, ps, GroupOrder.ASCENDING),
                IetfPriorities.trackProperties(v));
        ByteBuf out = Unpooled.buffer();
        ControlCodec.write(out, ok, v);
        SubscribeOk back = (SubscribeOk) ControlCodec.tryRead(out, v, 1 << 16);
        out.release();
        if (v.draft() <= 15) {
            // 14: the inline Group Order field; 15: the GROUP_ORDER parameter: the order delivered.
            assertEquals(1, back.parameters().number(MessageParameter.GROUP_ORDER).orElse(-1));
            assertEquals(0, back.trackProperties().toByteArray().length);
        } else {
            // 16+: no GROUP_ORDER in SUBSCRIBE_OK; the publisher's preference as a Track Property (absent = ascending).
            assertFalse(back.parameters().number(MessageParameter.GROUP_ORDER).isPresent());
            assertArrayEquals(new byte[] {0x22, 0x02}, back.trackProperties().toByteArray());
        }
    }
}
