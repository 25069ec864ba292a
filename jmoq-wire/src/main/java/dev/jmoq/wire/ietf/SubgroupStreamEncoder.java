package dev.jmoq.wire.ietf;

import io.netty.buffer.ByteBuf;

/**
 * Writes one subgroup data stream: the SUBGROUP_HEADER, then per object its header fields (Object ID
 * Delta, [Properties], Payload Length, [Status]); the caller appends the payload itself (a retained
 * slice in a composite, so payloads are never copied). Object ids must increase. Not thread-safe;
 * holds no buffers.
 */
public final class SubgroupStreamEncoder {
    private final IetfVersion version;
    private final SubgroupHeader header;
    private long previousObjectId;
    private boolean first = true;

    public SubgroupStreamEncoder(IetfVersion version, SubgroupHeader header) {
        this.version = version;
        this.header = header;
    }

    /** Writes the stream type and header. */
    public void writeHeader(ByteBuf out) {
        header.encode(out, version);
    }

    /**
     * Writes an object's fields up to its payload. {@code properties} is written when the header says
     * objects carry properties (null writes an empty run); {@code status} when {@code payloadLength}
     * is 0. IllegalArgumentException for an object id not above the previous one, or properties on a
     * header without them.
     */
    public void writeObjectHeader(ByteBuf out, long objectId, ByteBuf properties, int payloadLength, long status) {
        long delta;
        if (first) {
            delta = objectId;
        } else {
            if (Long.compareUnsigned(objectId, previousObjectId) <= 0) {
                throw new IllegalArgumentException("object id " + objectId + " not above " + previousObjectId);
            }
            delta = objectId - previousObjectId - 1;
        }
        if (properties != null && properties.isReadable() && !header.hasProperties()) {
            throw new IllegalArgumentException("the subgroup header has no properties field");
        }
        Wire.writeVarint(out, version, delta);
        if (header.hasProperties()) {
            int n = properties == null ? 0 : properties.readableBytes();
            Wire.writeVarint(out, version, n);
            if (n > 0) {
                out.writeBytes(properties, properties.readerIndex(), n);
            }
        }
        Wire.writeVarint(out, version, payloadLength);
        if (payloadLength == 0) {
            Wire.writeVarint(out, version, status);
        }
        previousObjectId = objectId;
        first = false;
    }
}
