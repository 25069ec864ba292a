package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;

/**
 * A moq-lite control or stream-header message. Records are immutable values.
 *
 * <p>{@link #encode} writes the message exactly as it appears on the stream, framing included
 * (usually a varint size prefix; a type varint first for subscribe-stream responses on draft 03+;
 * a 16-bit size for the legacy setup messages). Decoders live beside each record as a
 * {@code DECODER} constant.
 */
public sealed interface LiteMessage permits ClientSetup, ServerSetup, SessionClient, SessionServer, SessionInfo,
        Setup, AnnouncePlease, Announce, AnnounceInit, AnnounceOk, Subscribe, SubscribeUpdate, SubscribeResponse,
        Fetch, Probe, Goaway, Track, TrackInfo, GroupHeader {

    /** True when this message exists in draft {@code v}. */
    boolean existsIn(LiteVersion v);

    /**
     * Writes the framed message. Throws IllegalArgumentException when the message does not exist in
     * {@code v} or a field is out of range: that is a caller bug, not peer input.
     */
    void encode(ByteBuf out, LiteVersion v);
}
