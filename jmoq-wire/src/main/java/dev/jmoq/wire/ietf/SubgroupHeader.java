package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * SUBGROUP_HEADER: the start of a subgroup data stream (draft 14+ "Subgroup Header"). Its type (Type
 * Flags on 20) is {@code 0x10} plus flags: PROPERTIES / extensions present (0x01), SUBGROUP_ID_MODE
 * (0x06: 0 = subgroup 0, 1 = the first object's id, 2 = explicit field), END_OF_GROUP (0x08),
 * DEFAULT_PRIORITY (0x20, draft 15+: no priority byte), FIRST_OBJECT (0x40, draft 18+). Then Track
 * Alias, Group ID, [Subgroup ID], [Publisher Priority (8)].
 *
 * <p>{@code subgroupId} is the explicit value for mode 2 and 0 otherwise (for mode 1 the stream
 * decoder resolves it from the first object); {@code publisherPriority} is -1 with DEFAULT_PRIORITY.
 */
public record SubgroupHeader(long trackAlias, long groupId, int subgroupIdMode, long subgroupId, int publisherPriority,
        boolean hasProperties, boolean endOfGroup, boolean firstObject) {
    public static final int MODE_ZERO = 0;
    public static final int MODE_FIRST_OBJECT = 1;
    public static final int MODE_EXPLICIT = 2;

    public SubgroupHeader {
        if (subgroupIdMode < 0 || subgroupIdMode > 2) {
            throw new IllegalArgumentException("subgroup id mode must be 0..2: " + subgroupIdMode);
        }
        if (publisherPriority < -1 || publisherPriority > 255) {
            throw new IllegalArgumentException("publisher priority must be -1 or 0..255: " + publisherPriority);
        }
    }

    /** A header with an explicit subgroup id and priority. */
    public static SubgroupHeader explicit(long trackAlias, long groupId, long subgroupId, int priority,
            boolean hasProperties) {
        return new SubgroupHeader(trackAlias, groupId, MODE_EXPLICIT, subgroupId, priority, hasProperties, false, false);
    }

    /** The stream type / Type Flags value for this header. */
    public long type(IetfVersion v) {
        if (publisherPriority < 0 && !v.hasDefaultPriority()) {
            throw new IllegalArgumentException("a default priority needs draft 15+, not " + v);
        }
        if (firstObject && !v.hasFirstObjectBit()) {
            throw new IllegalArgumentException("FIRST_OBJECT needs draft 18+, not " + v);
        }
        return 0x10 | (hasProperties ? 0x01 : 0) | (subgroupIdMode << 1) | (endOfGroup ? 0x08 : 0)
                | (publisherPriority < 0 ? 0x20 : 0) | (firstObject ? 0x40 : 0);
    }

    /** True when {@code type} is a valid SUBGROUP_HEADER type in draft {@code v}. */
    public static boolean isSubgroupType(long type, IetfVersion v) {
        long max = v.hasFirstObjectBit() ? 0x80 : v.hasDefaultPriority() ? 0x40 : 0x20;
        return type >= 0x10 && type < max && (type & 0x10) != 0 && (type & 0x06) != 0x06;
    }

    /** Writes the type and the header fields. */
    public void encode(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, type(v));
        Wire.writeVarint(out, v, trackAlias);
        Wire.writeVarint(out, v, groupId);
        if (subgroupIdMode == MODE_EXPLICIT) {
            Wire.writeVarint(out, v, subgroupId);
        }
        if (publisherPriority >= 0) {
            out.writeByte(publisherPriority);
        }
    }

    /** Reads the fields after {@code type}; null (cursor marked missing) while incomplete. */
    static SubgroupHeader read(ChunkBuffer in, long type, IetfVersion v) throws ProtocolException {
        if (!isSubgroupType(type, v)) {
            throw Wire.malformed("invalid SUBGROUP_HEADER type 0x" + Long.toHexString(type) + " in " + v);
        }
        long alias = in.varint();
        long group = in.varint();
        int mode = (int) (type & 0x06) >>> 1;
        long subgroup = mode == MODE_EXPLICIT ? in.varint() : 0;
        int priority = (type & 0x20) != 0 ? -1 : in.u8();
        if (in.missing) {
            return null;
        }
        return new SubgroupHeader(alias, group, mode, subgroup, priority, (type & 0x01) != 0, (type & 0x08) != 0,
                (type & 0x40) != 0);
    }
}
