package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * The varint that opens every moq-lite bidirectional stream, and the legacy setup prefixes.
 *
 * <p>{@link #CLIENT_COMPAT} opens the draft 01/02 setup stream (CLIENT_SETUP follows);
 * {@link #SERVER_COMPAT} is the server's answer on that same stream, not a stream type.
 */
public enum LiteControlType {
    /** Drafts 01/02 native session stream; never opened by the reference clients (a peer that does is rejected). */
    SESSION(0x0),
    ANNOUNCE(0x1),
    SUBSCRIBE(0x2),
    FETCH(0x3),
    PROBE(0x4),
    GOAWAY(0x5),
    /** Draft 05+: TRACK request answered by TRACK_INFO. */
    TRACK(0x6),
    CLIENT_COMPAT(0x20),
    SERVER_COMPAT(0x21);

    private final long code;

    LiteControlType(long code) {
        this.code = code;
    }

    public long code() {
        return code;
    }

    /** True when a peer may open a bidi stream of this type in draft {@code v}. */
    public boolean opensStreamIn(LiteVersion v) {
        return switch (this) {
            case ANNOUNCE, SUBSCRIBE -> true;
            case FETCH -> v.hasFetch();
            case PROBE -> v.hasProbe();
            case GOAWAY -> v.hasGoaway();
            case TRACK -> v.hasTrackStream();
            case CLIENT_COMPAT -> true; // precedes negotiation, so it is valid whatever the eventual draft
            case SESSION, SERVER_COMPAT -> false;
        };
    }

    public void write(ByteBuf out) {
        VarInt.write(out, code);
    }

    /**
     * Reads the type opening a bidi stream, or returns null (consuming nothing) while incomplete.
     * An unknown type, or one the draft does not have, resets that stream.
     */
    public static LiteControlType tryRead(ByteBuf in, LiteVersion v) throws ProtocolException {
        if (!VarInt.isReadable(in)) {
            return null;
        }
        int start = in.readerIndex();
        long code = VarInt.read(in);
        for (LiteControlType t : values()) {
            if (t.code == code && t.opensStreamIn(v)) {
                return t;
            }
        }
        in.readerIndex(start);
        throw new ProtocolException(LiteErrorCode.UNEXPECTED_STREAM,
                "unexpected bidi stream type " + code + " in " + v, false);
    }
}
