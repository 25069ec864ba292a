package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.GroupFraming;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.SubgroupHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One subscription's subgroup-stream framing for {@code GroupEgress}: a model group is one IETF group
 * sent as subgroup 0 (SUBGROUP_HEADER with subgroup id mode 0, an explicit publisher priority and,
 * on 18+, FIRST_OBJECT: type 0x10 or 0x50), its frames objects 0..n-1 (Object ID Delta 0 after the first object's id 0, Payload Length,
 * Object Status Normal for an empty frame). Counts the streams it opened (PUBLISH_DONE's Stream Count).
 *
 * <p>MODEL SEAM: object ids, extension headers and status are not in the model yet; when they are, the
 * object header carries them instead of the dense numbering. Not thread-safe: the session's loop.
 */
final class IetfFraming implements GroupFraming {
    /** The publisher priority we send (the middle of 0..255; lower is more urgent). */
    static final int PRIORITY = 128;

    private final IetfVersion version;
    private long streams;

    IetfFraming(IetfVersion version) {
        this.version = version;
    }

    @Override
    public ByteBuf groupHeader(ByteBufAllocator alloc, long trackAlias, long sequence) {
        streams++;
        ByteBuf out = alloc.buffer(24);
        // Every stream starts at the group's object 0: FIRST_OBJECT says so where the draft has the bit (18+).
        new SubgroupHeader(trackAlias, sequence, SubgroupHeader.MODE_ZERO, 0, PRIORITY, false, false,
                version.hasFirstObjectBit()).encode(out, version);
        return out;
    }

    @Override
    public ByteBuf frameHeader(ByteBufAllocator alloc, int size) {
        ByteBuf out = alloc.buffer(20);
        version.varint().write(out, 0); // Object ID Delta: objects are dense from 0
        version.varint().write(out, size);
        if (size == 0) {
            version.varint().write(out, ObjectStatus.NORMAL);
        }
        return out;
    }

    /** Subgroup streams opened so far. */
    long streams() {
        return streams;
    }
}
