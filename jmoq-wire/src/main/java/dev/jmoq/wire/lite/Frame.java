package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;

/**
 * One frame read from a group or fetch stream: its absolute timestamp in the track's timescale
 * (draft 05+; {@link #NO_TIMESTAMP} before) and its payload, a retained zero-copy view of the
 * received bytes. The receiver of a Frame owns the payload and must release it.
 */
public record Frame(long timestamp, ByteBuf payload) {
    /** Drafts before 05 carry no timestamp. */
    public static final long NO_TIMESTAMP = -1;

    /** Releases the payload. */
    public void release() {
        payload.release();
    }
}
