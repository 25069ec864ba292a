package dev.jmoq.core.session.lite;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.SubscribeEnd;
import dev.jmoq.wire.lite.SubscribeStart;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The range a moq-lite-05 subscription resolves to, told on its subscribe stream in place of
 * SUBSCRIBE_OK (draft-lcurley-moq-lite-05, "SUBSCRIBE_START", "SUBSCRIBE_END"; as {@code @moq/net} 0.3.4
 * and moq-dev's {@code lite/publisher.rs} send it): SUBSCRIBE_START with the first group the egress takes,
 * once, which is a promise that nothing below it follows (a straggler below it, which arrival order can
 * bring on a relay, is refused, as {@code @moq/net} pins its floor); when the track has ended and every group was sent, SUBSCRIBE_END with the exclusive end (the
 * highest sequence sent plus one, 0 when none) and FIN.
 *
 * <p>Threading: the session's event loop (the egress calls it from its drain).
 */
final class LiteSubscribeRange {
    private final BidiStream stream;
    private final LiteVersion version;
    private boolean started;
    private long start;
    private long end;

    LiteSubscribeRange(BidiStream stream, LiteVersion version) {
        this.stream = stream;
        this.version = version;
    }

    /** The egress would take group {@code sequence}: true to send it, false for a group below the start. */
    boolean groupTaken(long sequence) {
        if (started && sequence < start) {
            return false;
        }
        if (!started) {
            start = sequence;
            started = true;
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(16);
            new SubscribeStart(sequence).encode(out, version);
            stream.write(out);
            stream.flush();
        }
        end = Math.max(end, sequence + 1);
        return true;
    }

    /** The track ended and everything was sent: SUBSCRIBE_END and FIN. */
    void end() {
        if (stream.isClosed()) {
            return;
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(16);
        new SubscribeEnd(end).encode(out, version);
        stream.writeAndFinish(out);
    }
}
