package dev.jmoq.core.session.lite;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.SubscribeEnd;
import dev.jmoq.wire.lite.SubscribeStart;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.Executor;

/**
 * The range a moq-lite-05 subscription resolves to, told on its subscribe stream in place of
 * SUBSCRIBE_OK (draft-lcurley-moq-lite-05, "SUBSCRIBE_START", "SUBSCRIBE_END"; as {@code @moq/net} 0.3.4
 * and moq-dev's {@code lite/publisher.rs} send it): SUBSCRIBE_START once, with the lowest group of the
 * first batch the egress takes (written after that drain, so a burst that reached a relay newest first
 * starts at its oldest group). The egress reads through a {@link dev.jmoq.core.model.TrackCursor}, which
 * takes nothing below the SUBSCRIBE's start group (nor below the newest group cached when it subscribed),
 * so SUBSCRIBE_START is where the cursor actually started: the requested start when the cache holds it.
 * When the track has ended, or the SUBSCRIBE's end group was sent, and every group went out: SUBSCRIBE_END
 * with the exclusive end (the highest sequence sent plus one, 0 when none) and FIN. A straggler below
 * SUBSCRIBE_START that the cursor still takes (a subscription made before the track had a group takes
 * every group) is sent: {@code @moq/net}'s subscriber reads the range as information only
 * ({@code lite/subscriber.js} {@code #drainResponses}), and dropping it would lose a group a viewer can use.
 *
 * <p>Threading: the session's event loop (the egress calls it from its drain).
 */
final class LiteSubscribeRange {
    private final BidiStream stream;
    private final LiteVersion version;
    private final Executor loop;
    private boolean scheduled;
    private boolean written;
    private long start = Long.MAX_VALUE;
    private long end;

    LiteSubscribeRange(BidiStream stream, LiteVersion version, Executor loop) {
        this.stream = stream;
        this.version = version;
        this.loop = loop;
    }

    /** The egress took group {@code sequence}. */
    void groupTaken(long sequence) {
        if (!scheduled) {
            scheduled = true;
            loop.execute(this::writeStart); // after this drain: the lowest of its batch
        }
        if (!written) {
            start = Math.min(start, sequence);
        }
        end = Math.max(end, sequence + 1);
    }

    private void writeStart() {
        if (written || stream.isClosed()) {
            return;
        }
        written = true; // later groups no longer move it
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(16);
        new SubscribeStart(start).encode(out, version);
        stream.write(out);
        stream.flush();
    }

    /** The track ended and everything was sent: SUBSCRIBE_END and FIN. */
    void end() {
        if (stream.isClosed()) {
            return;
        }
        if (scheduled) {
            writeStart(); // the track ended within the drain that took its first group
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(16);
        new SubscribeEnd(end).encode(out, version);
        stream.writeAndFinish(out);
    }
}
