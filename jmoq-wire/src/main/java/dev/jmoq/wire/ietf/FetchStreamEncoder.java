package dev.jmoq.wire.ietf;

import io.netty.buffer.ByteBuf;

/**
 * Writes one fetch data stream: FETCH_HEADER, then per object its fields up to the payload, which the
 * caller appends. On draft 15+ it picks the shortest Serialization Flags: fields equal to what the
 * prior object implies are left out (subgroup zero / same / next, object = prior + 1, same group, same
 * priority), so a run of objects of one group costs one flags byte each. Draft 18+ writes group and
 * object as deltas (the group in the fetch's order). Not thread-safe; holds no buffers.
 */
public final class FetchStreamEncoder {
    private final IetfVersion version;
    private final boolean descending;
    private boolean first = true;
    /** An object (not only an End of Range) was written: its subgroup and priority can be referred to. */
    private boolean haveObject;
    private long group;
    private long subgroup;
    private long object;
    private int priority;

    public FetchStreamEncoder(IetfVersion version, boolean descending) {
        this.version = version;
        this.descending = descending;
    }

    /** Writes the stream type and the Request ID. */
    public void writeHeader(ByteBuf out, long requestId) {
        new FetchHeader(requestId).encode(out, version);
    }

    /**
     * Writes an object's fields up to its payload: properties when non-null, status (draft 14-15) when
     * the payload is empty. {@code priority} must be 0..255.
     */
    public void writeObjectHeader(ByteBuf out, long groupId, long subgroupId, long objectId, int priority,
            ByteBuf properties, int payloadLength, long status) {
        Wire.checkU8(priority, "priority");
        IetfVersion v = version;
        if (!v.hasFetchSerializationFlags()) {
            Wire.writeVarint(out, v, groupId);
            Wire.writeVarint(out, v, subgroupId);
            Wire.writeVarint(out, v, objectId);
            out.writeByte(priority);
            writeProperties(out, properties);
            Wire.writeVarint(out, v, payloadLength);
            if (payloadLength == 0) {
                Wire.writeVarint(out, v, status);
            }
            return;
        }
        boolean groupPresent = first || groupId != group;
        boolean objectPresent = first || objectId != object + 1;
        int mode;
        if (subgroupId == 0) {
            mode = 0;
        } else if (haveObject && subgroupId == subgroup) {
            mode = 1;
        } else if (haveObject && subgroupId == subgroup + 1) {
            mode = 2;
        } else {
            mode = 3;
        }
        boolean priorityPresent = !haveObject || priority != this.priority;
        long flags = mode | (objectPresent ? 0x04 : 0) | (groupPresent ? 0x08 : 0) | (priorityPresent ? 0x10 : 0)
                | (properties != null ? 0x20 : 0);
        if (v.hasVarintSerializationFlags()) {
            Wire.writeVarint(out, v, flags);
        } else {
            out.writeByte((int) flags);
        }
        if (groupPresent) {
            Wire.writeVarint(out, v, v.hasFetchDeltas() && !first ? groupDelta(groupId) : groupId);
        }
        if (mode == 3) {
            Wire.writeVarint(out, v, subgroupId);
        }
        if (objectPresent) {
            Wire.writeVarint(out, v, v.hasFetchDeltas() && !first && !groupPresent ? objectId - object : objectId);
        }
        if (priorityPresent) {
            out.writeByte(priority);
        }
        if (properties != null) {
            writeProperties(out, properties);
        }
        Wire.writeVarint(out, v, payloadLength);
        if (payloadLength == 0 && !v.hasVarintSerializationFlags()) {
            Wire.writeVarint(out, v, status);
        }
        first = false;
        haveObject = true;
        group = groupId;
        subgroup = subgroupId;
        object = objectId;
        this.priority = priority;
    }

    /**
     * Writes an End of Range marker (draft 16+): every Location after the previous entry up to
     * {@code end} does not exist / is unknown / timed out ({@link EndOfRange} flags). On draft 18+ its
     * Group and Object travel like an object's (group delta in the fetch's order, object absolute), so
     * {@code end} must be in a later group than the previous entry. IllegalArgumentException when the
     * draft lacks the marker.
     */
    public void writeEndOfRange(ByteBuf out, long flags, Location end) {
        IetfVersion v = version;
        boolean known = flags == EndOfRange.NON_EXISTENT || flags == EndOfRange.UNKNOWN
                || flags == EndOfRange.TIMED_OUT && v.hasTimedOutRange();
        if (!v.hasEndOfRange() || !known) {
            throw new IllegalArgumentException("End of Range 0x" + Long.toHexString(flags) + " does not exist in " + v);
        }
        Wire.writeVarint(out, v, flags);
        Wire.writeVarint(out, v, v.hasFetchDeltas() && !first ? groupDelta(end.group()) : end.group());
        Wire.writeVarint(out, v, end.object());
        first = false;
        group = end.group();
        object = end.object();
    }

    /** Group ids are unsigned 64-bit values (the MoQT varint carries all of them): compared unsigned. */
    private long groupDelta(long groupId) {
        long step = descending ? group - groupId : groupId - group;
        if (descending ? Long.compareUnsigned(groupId, group) >= 0 : Long.compareUnsigned(groupId, group) <= 0) {
            throw new IllegalArgumentException("group " + groupId + " does not follow " + group + " in "
                    + (descending ? "descending" : "ascending") + " order");
        }
        return step - 1;
    }

    private void writeProperties(ByteBuf out, ByteBuf properties) {
        int n = properties == null ? 0 : properties.readableBytes();
        Wire.writeVarint(out, version, n);
        if (n > 0) {
            out.writeBytes(properties, properties.readerIndex(), n);
        }
    }
}
