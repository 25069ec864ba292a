package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Incremental reader of one subgroup data stream, from its first byte (the SUBGROUP_HEADER type) to
 * FIN. Feed it the bytes as they arrive; it yields the header once, then each object with its
 * payload and properties as retained slices of the received buffers (no copy; see {@link ChunkBuffer}).
 * Object fields (draft 14+ "Subgroup Header"): Object ID Delta, [Properties Length + Properties],
 * Payload Length, [Object Status when the length is 0], Payload. The first object's id is its delta,
 * later ones are previous + delta + 1; subgroup id mode 1 takes the first object's id.
 *
 * <p>Not thread-safe: one stream, one event loop. Ownership: {@link #feed} takes each chunk; each
 * returned {@link IetfObject} belongs to the caller; {@link #close} releases what is still buffered.
 * Payloads above {@code maxObjectSize} and properties above {@value IetfLimits#MAX_PROPERTIES} bytes
 * fail before they are awaited. Errors are PROTOCOL_VIOLATION and close the session, as the draft says.
 */
public final class SubgroupStreamDecoder implements AutoCloseable {
    private final IetfVersion version;
    private final int maxObjectSize;
    private final ChunkBuffer in;
    private SubgroupHeader header;
    private long subgroupId;
    private long previousObjectId;
    private boolean first = true;
    private boolean closed;

    public SubgroupStreamDecoder(ByteBufAllocator alloc, IetfVersion version, int maxObjectSize) {
        if (maxObjectSize < 0) {
            throw new IllegalArgumentException("maxObjectSize must be >= 0: " + maxObjectSize);
        }
        this.version = version;
        this.maxObjectSize = maxObjectSize;
        this.in = new ChunkBuffer(alloc, version.varint());
    }

    /** Appends received bytes; takes ownership of {@code chunk}. */
    public void feed(ByteBuf chunk) {
        if (closed) {
            chunk.release();
            throw new IllegalStateException("decoder closed");
        }
        in.add(chunk);
    }

    /** Bytes received but not yet decoded. */
    public int bufferedBytes() {
        return in.readable();
    }

    /** Reads the type and SUBGROUP_HEADER, or returns null while incomplete; the same header afterwards. */
    public SubgroupHeader readHeader() throws ProtocolException {
        if (header == null) {
            in.begin();
            long type = in.varint();
            if (in.missing) {
                return null;
            }
            header = SubgroupHeader.read(in, type, version);
            if (header != null) {
                in.commit();
                subgroupId = header.subgroupId();
            }
        }
        return header;
    }

    /** The subgroup id: from the header, or (mode 1) from the first object once read. */
    public long subgroupId() {
        return subgroupId;
    }

    /** Reads the next object, or returns null (consuming nothing) while it is incomplete. */
    public IetfObject readObject() throws ProtocolException {
        if (header == null) {
            throw new IllegalStateException("read the SUBGROUP_HEADER first");
        }
        in.begin();
        long delta = in.varint();
        int propsAt = -1;
        long propsLen = 0;
        if (header.hasProperties()) {
            propsLen = in.varint();
            if (!in.missing && (propsLen < 0 || propsLen > IetfLimits.MAX_PROPERTIES)) {
                throw Wire.malformed("object properties length " + Long.toUnsignedString(propsLen) + " exceeds "
                        + IetfLimits.MAX_PROPERTIES);
            }
            propsAt = in.skip(propsLen);
        }
        long length = in.varint();
        if (!in.missing && (length < 0 || length > maxObjectSize)) {
            throw Wire.payloadTooLarge(length, maxObjectSize);
        }
        long status = length == 0 ? in.varint() : ObjectStatus.NORMAL;
        int payloadAt = in.skip(length);
        if (in.missing) {
            return null;
        }
        long objectId;
        if (first) {
            objectId = delta;
            if (header.subgroupIdMode() == SubgroupHeader.MODE_FIRST_OBJECT) {
                subgroupId = objectId;
            }
        } else {
            objectId = previousObjectId + delta + 1;
            if (Long.compareUnsigned(objectId, previousObjectId) <= 0) {
                throw Wire.malformed("object id overflows");
            }
        }
        ByteBuf props = header.hasProperties() ? in.retainedSlice(propsAt, (int) propsLen) : null;
        ByteBuf payload = in.retainedSlice(payloadAt, (int) length);
        in.commit();
        previousObjectId = objectId;
        first = false;
        return new IetfObject(header.groupId(), subgroupId, objectId, header.publisherPriority(), status, props, payload);
    }

    /** Call at FIN: a stream that ended before its header or inside an object is malformed. */
    public void finish() throws ProtocolException {
        if (header == null) {
            throw Wire.malformed("subgroup stream ended before its header");
        }
        if (in.readable() > 0) {
            throw Wire.malformed("subgroup stream ended inside an object (" + in.readable() + " bytes left)");
        }
    }

    /** Releases the buffered bytes; objects already returned stay valid. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            in.release();
        }
    }
}
