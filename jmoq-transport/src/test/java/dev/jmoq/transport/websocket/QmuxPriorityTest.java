package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.transport.SendStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket send scheduler honours stream priority: among streams with data queued, a lower urgency
 * goes first, and a stream whose urgency changes while its data waits moves with it (the egress demotes
 * older groups as newer ones open, after their data was queued).
 */
class QmuxPriorityTest {
    @Test
    void aStreamRaisedWhileItsDataWaitsIsSentFirst() {
        EmbeddedChannel ch = new EmbeddedChannel();
        QmuxConnection conn = new QmuxConnection(ch, true, new Subprotocol(WireVersion.WEBTRANSPORT, "moq-lite-04"),
                false, "/", null, QmuxSettings.defaults(), new Liveness(0, null));
        ch.pipeline().addLast(conn);
        conn.start(0, null);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // the socket is full
        SendStream a = open(conn, ch);
        SendStream b = open(conn, ch);
        SendStream c = open(conn, ch);
        for (SendStream s : List.of(a, b, c)) {
            s.setPriority(3);
        }
        a.write(Unpooled.wrappedBuffer(new byte[] {'A'}));
        b.write(Unpooled.wrappedBuffer(new byte[] {'B'}));
        c.write(Unpooled.wrappedBuffer(new byte[] {'C'}));
        a.flush();
        a.setPriority(5); // demoted: a newer group opened
        c.setPriority(1); // the newest
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        assertEquals(List.of('C', 'B', 'A'), sent(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void aStreamNeverGivenAPriorityGoesAheadOfRankedData() {
        EmbeddedChannel ch = new EmbeddedChannel();
        QmuxConnection conn = new QmuxConnection(ch, true, new Subprotocol(WireVersion.WEBTRANSPORT, "moq-lite-04"),
                false, "/", null, QmuxSettings.defaults(), new Liveness(0, null));
        ch.pipeline().addLast(conn);
        conn.start(0, null);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // the socket is full
        SendStream newest = open(conn, ch);
        SendStream control = open(conn, ch);
        newest.setPriority(1); // the most urgent rank a data stream gets
        newest.write(Unpooled.wrappedBuffer(new byte[] {'D'}));
        control.write(Unpooled.wrappedBuffer(new byte[] {'K'})); // never ranked: a control message
        newest.flush();
        control.flush();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        assertEquals(List.of('K', 'D'), sent(ch));
        ch.finishAndReleaseAll();
    }

    private static SendStream open(QmuxConnection conn, EmbeddedChannel ch) {
        var f = conn.openUni();
        ch.runPendingTasks();
        return f.getNow();
    }

    /** The last payload byte of each binary message written, in order. */
    private static List<Character> sent(EmbeddedChannel ch) {
        List<Character> out = new ArrayList<>();
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            if (msg instanceof BinaryWebSocketFrame frame) {
                ByteBuf content = frame.content();
                if (content.isReadable()) {
                    out.add((char) content.getByte(content.writerIndex() - 1));
                }
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }
        return out;
    }
}
