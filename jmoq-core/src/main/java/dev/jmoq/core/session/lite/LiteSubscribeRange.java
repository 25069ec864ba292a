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
 * once; when the track has ended and every group was sent, SUBSCRIBE_END with the exclusive end (the
 * highest sequence sent plus one, 0 when none) and FIN.
 *
 * <p>Threading: the session's event loop (the egress calls it from its drain).
 */
final class LiteSubscribeRange {
    private final BidiStream stream;
    private final LiteVersion version;
    private boolean started;
    private long end;

    LiteSubscribeRange(BidiStream stream, LiteVersion version) {
        this.stream = stream;
        this.version = version;
    }

    /** The egress took group {@code sequence}. */
    void groupTaken(long sequence) {
        if (!started) {
            started = true;
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(16);
            new SubscribeStart(sequence).encode(out, version);
            stream.write(out);
            stream.flush();
        }
        end = Math.max(end, sequence + 1);
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
