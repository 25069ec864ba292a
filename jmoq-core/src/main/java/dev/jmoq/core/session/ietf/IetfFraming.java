package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.session.GroupFraming;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectDatagram;
import dev.jmoq.wire.ietf.SubgroupHeader;
import dev.jmoq.wire.ietf.SubgroupStreamEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One subscription's subgroup-stream framing for {@code GroupEgress}: a model group is one IETF group
 * sent as subgroup 0 (SUBGROUP_HEADER with subgroup id mode 0, the group's publisher priority written
 * explicitly ({@link Group#publisherPriority()}: as an IETF publisher sent it, 128 for a moq-lite source) and, on 18+,
 * FIRST_OBJECT), each frame one object with what the model carries for it (draft-ietf-moq-transport-14..20,
 * "Subgroup Header" and the object fields after it): Object ID Delta from the frame's object id (gaps
 * kept), the extension headers / Object Properties as received, Payload Length, and the Object Status when
 * the payload is empty. A moq-lite publisher's frames are objects 0..n-1 with no extensions.
 *
 * <p>Header type: with the extensions field (0x11 / 0x51) when the group's first frame carries an extension
 * run (an IETF publisher's stream whose header type had the field: possibly empty), else without (0x10 /
 * 0x50). A later frame's extension headers in a group whose first frame has none are not sent (no IETF
 * publisher produces such a group). A Does Not Exist object (drafts 14-15) is skipped for a subscriber on
 * 16+, where that status is gone and an absent object is a gap in the ids. Counts the streams it opened (PUBLISH_DONE's Stream Count). Not
 * thread-safe: the session's loop.
 */
final class IetfFraming implements GroupFraming {

    private final IetfVersion version;
    private long streams;

    IetfFraming(IetfVersion version) {
        this.version = version;
    }

    /** The header of a group with no frame yet (or one known to carry no extension headers). */
    @Override
    public ByteBuf groupHeader(ByteBufAllocator alloc, long trackAlias, long sequence) {
        return write(alloc, header(trackAlias, sequence, Group.DEFAULT_PUBLISHER_PRIORITY, false));
    }

    @Override
    public ByteBuf groupHeader(ByteBufAllocator alloc, long trackAlias, Group group) {
        return write(alloc, header(trackAlias, group.sequence(), group.publisherPriority(), hasExtensions(group)));
    }

    private ByteBuf write(ByteBufAllocator alloc, SubgroupHeader h) {
        streams++;
        ByteBuf out = alloc.buffer(24);
        h.encode(out, version);
        return out;
    }

    private SubgroupHeader header(long trackAlias, long sequence, int publisherPriority, boolean extensions) {
        // Every stream starts at the group's head: FIRST_OBJECT says so where the draft has the bit (18+).
        return new SubgroupHeader(trackAlias, sequence, SubgroupHeader.MODE_ZERO, 0, publisherPriority, extensions, false,
                version.hasFirstObjectBit());
    }

    /** True when the group's first frame carries an extension run: decided once frame 0 exists, then fixed. */
    static boolean hasExtensions(Group group) {
        return group.frameCount() > 0 && group.extensions(0) != null;
    }

    /** Dense objects 0..n-1, Normal status for an empty frame: the headers of a group without extras. */
    @Override
    public ByteBuf frameHeader(ByteBufAllocator alloc, int size) {
        ByteBuf out = alloc.buffer(20);
        version.varint().write(out, 0); // Object ID Delta: the next id
        version.varint().write(out, size);
        if (size == 0) {
            version.varint().write(out, dev.jmoq.wire.ietf.ObjectStatus.NORMAL);
        }
        return out;
    }

    /**
     * The object headers of one stream of {@code group}, matching {@link #groupHeader(ByteBufAllocator, long,
     * Group)} (call that first, once the group has a frame or has ended).
     */
    @Override
    public FrameHeaders frames(Group group) {
        boolean extensions = hasExtensions(group);
        SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(version, header(0, group.sequence(), group.publisherPriority(), extensions));
        boolean doesNotExist = version.draft() <= 15; // the status exists on drafts 14-15 only
        return (alloc, index, size) -> {
            if (size == 0 && !doesNotExist && group.objectStatus(index) == ObjectStatus.DOES_NOT_EXIST) {
                return null; // from 16 an absent object is a gap in the ids: skipped
            }
            ByteBuf ext = extensions ? group.extensions(index) : null;
            ByteBuf out = alloc.buffer(20 + (ext == null ? 0 : ext.readableBytes()));
            encoder.writeObjectHeader(out, group.objectId(index), ext, size,
                    size == 0 ? group.objectStatus(index) : dev.jmoq.wire.ietf.ObjectStatus.NORMAL);
            return out;
        };
    }

    @Override
    public boolean supportsDatagrams() {
        return true;
    }

    /**
     * OBJECT_DATAGRAM (draft-ietf-moq-transport-14..20, "Object Datagram"): the object's id, the group's
     * publisher priority, its extension headers as received, and its payload, or, for an empty object with a status,
     * a status datagram. END_OF_GROUP rides on the last object when the group had ended by the time it
     * was sent (a status datagram has no such bit). A Does Not Exist object is skipped from draft 16 on, as
     * on streams.
     */
    @Override
    public ByteBuf datagram(ByteBufAllocator alloc, long trackAlias, Group group, int index, boolean endOfGroup) {
        ByteBuf payload = group.frame(index);
        int size = payload.readableBytes();
        int status = size == 0 ? group.objectStatus(index) : ObjectStatus.NORMAL;
        if (status == ObjectStatus.DOES_NOT_EXIST && version.draft() > 15) {
            return null;
        }
        ByteBuf ext = group.extensions(index);
        if (ext != null && !ext.isReadable() && version.draft() >= 16) {
            ext = null; // 16+: the PROPERTIES bit needs at least one property
        }
        boolean statusOnly = status != ObjectStatus.NORMAL;
        ObjectDatagram d = new ObjectDatagram(trackAlias, group.sequence(), group.objectId(index), group.publisherPriority(),
                endOfGroup && !statusOnly, ext, status, statusOnly ? null : payload);
        ByteBuf out = alloc.buffer(24 + size + (ext == null ? 0 : ext.readableBytes()));
        d.encode(out, version);
        return out;
    }

    /** Subgroup streams opened so far. */
    long streams() {
        return streams;
    }
}
