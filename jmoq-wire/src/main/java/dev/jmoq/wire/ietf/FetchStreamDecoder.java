package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Incremental reader of one fetch data stream: FETCH_HEADER (type 0x05, Request ID), then entries to
 * FIN. Draft 14: Group ID, Subgroup ID, Object ID, Publisher Priority (8), Extensions Length +
 * Extensions, Payload Length, [Status when 0], Payload. Draft 15+: Serialization Flags (a byte on 15, a
 * varint from 16) say which of Group, Subgroup, Object, Priority and Properties are present; absent ones
 * follow the prior object (subgroup mode 0x03 mask: 0 zero, 1 prior, 2 prior + 1, 3 field; 0x04 object,
 * 0x08 group, 0x10 priority, 0x20 properties, 0x40 datagram (16+)). Draft 18+ codes Group and Object as
 * deltas, the group delta in the direction of the fetch's group order. End of Range markers (16+) come
 * back as {@link EndOfRange}; on 18+ their Group and Object are read like an object's (the flag value
 * 0x8C sets the group and object presence bits; the draft does not say otherwise). Payloads and
 * properties are retained slices of the received buffers.
 *
 * <p>Not thread-safe. Ownership as {@link SubgroupStreamDecoder}. Errors are PROTOCOL_VIOLATION.
 */
public final class FetchStreamDecoder implements AutoCloseable {
    private final IetfVersion version;
    private final int maxObjectSize;
    private final boolean descending;
    private final ChunkBuffer in;
    private FetchHeader header;
    private boolean first = true;
    private boolean haveObject;
    private long group;
    private long subgroup;
    private long object;
    private int priority;
    private boolean closed;

    /**
     * @param descending the fetch's group order is descending (draft 18+ group deltas count down)
     */
    public FetchStreamDecoder(ByteBufAllocator alloc, IetfVersion version, int maxObjectSize, boolean descending) {
        if (maxObjectSize < 0) {
            throw new IllegalArgumentException("maxObjectSize must be >= 0: " + maxObjectSize);
        }
        this.version = version;
        this.maxObjectSize = maxObjectSize;
        this.descending = descending;
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

    /** Reads the stream type and FETCH_HEADER, or returns null while incomplete. */
    public FetchHeader readHeader() throws ProtocolException {
        if (header == null) {
            in.begin();
            long type = in.varint();
            long id = in.varint();
            if (in.missing) {
                return null;
            }
            if (type != FetchHeader.TYPE) {
                throw Wire.malformed("not a FETCH_HEADER: 0x" + Long.toHexString(type));
            }
            in.commit();
            header = new FetchHeader(id);
        }
        return header;
    }

    /** Reads the next object or End of Range, or returns null (consuming nothing) while incomplete. */
    public FetchEntry readEntry() throws ProtocolException {
        if (header == null) {
            throw new IllegalStateException("read the FETCH_HEADER first");
        }
        in.begin();
        if (!version.hasFetchSerializationFlags()) {
            return readDraft14();
        }
        long flags = version.hasVarintSerializationFlags() ? in.varint() : in.u8();
        if (in.missing) {
            return null;
        }
        if (isEndOfRange(flags)) {
            long g = in.varint();
            long o = in.varint();
            if (in.missing) {
                return null;
            }
            long newGroup = version.hasFetchDeltas() && !first ? groupFromDelta(g) : g;
            long newObject = o;
            in.commit();
            group = newGroup;
            object = newObject;
            first = false;
            return new EndOfRange(flags, new Location(newGroup, newObject));
        }
        if (flags >= 0x80 || (flags & 0x40) != 0 && !version.hasEndOfRange()) {
            throw Wire.malformed("invalid serialization flags 0x" + Long.toHexString(flags));
        }
        boolean groupPresent = (flags & 0x08) != 0;
        boolean objectPresent = (flags & 0x04) != 0;
        boolean datagram = (flags & 0x40) != 0;
        int mode = (int) (flags & 0x03);
        if (first && (!groupPresent || !objectPresent)) {
            throw Wire.malformed("first fetch object refers to a prior object (flags 0x" + Long.toHexString(flags) + ")");
        }
        if (!haveObject && (!datagram && (mode == 1 || mode == 2) || (flags & 0x10) == 0)) {
            throw Wire.malformed("fetch object refers to a prior subgroup or priority that does not exist");
        }
        long g = groupPresent ? in.varint() : 0;
        long sub = !datagram && mode == 3 ? in.varint() : 0;
        long o = objectPresent ? in.varint() : 0;
        int prio = (flags & 0x10) != 0 ? in.u8() : priority;
        int propsAt = -1;
        long propsLen = 0;
        boolean hasProps = (flags & 0x20) != 0;
        if (hasProps) {
            propsLen = boundedProps(in.varint());
            propsAt = in.skip(propsLen);
        }
        long length = boundedPayload(in.varint());
        long status = length == 0 && !version.hasVarintSerializationFlags() ? in.varint() : ObjectStatus.NORMAL;
        int payloadAt = in.skip(length);
        if (in.missing) {
            return null;
        }
        long newGroup;
        long newObject;
        if (!version.hasFetchDeltas() || first) {
            newGroup = groupPresent ? g : group;
            newObject = objectPresent ? o : object + 1;
        } else {
            newGroup = groupPresent ? groupFromDelta(g) : group;
            newObject = objectPresent ? (groupPresent ? o : object + o) : object + 1;
        }
        long newSub = datagram ? 0 : switch (mode) {
            case 0 -> 0;
            case 1 -> subgroup;
            case 2 -> subgroup + 1;
            default -> sub;
        };
        ByteBuf props = hasProps ? in.retainedSlice(propsAt, (int) propsLen) : null;
        ByteBuf payload = in.retainedSlice(payloadAt, (int) length);
        in.commit();
        first = false;
        haveObject = true;
        group = newGroup;
        object = newObject;
        subgroup = newSub;
        priority = prio;
        return new IetfObject(newGroup, newSub, newObject, prio, status, props, payload);
    }

    private IetfObject readDraft14() throws ProtocolException {
        long g = in.varint();
        long sub = in.varint();
        long o = in.varint();
        int prio = in.u8();
        long propsLen = boundedProps(in.varint());
        int propsAt = in.skip(propsLen);
        long length = boundedPayload(in.varint());
        long status = length == 0 ? in.varint() : ObjectStatus.NORMAL;
        int payloadAt = in.skip(length);
        if (in.missing) {
            return null;
        }
        ByteBuf props = in.retainedSlice(propsAt, (int) propsLen);
        ByteBuf payload = in.retainedSlice(payloadAt, (int) length);
        in.commit();
        return new IetfObject(g, sub, o, prio, status, props, payload);
    }

    private boolean isEndOfRange(long flags) {
        return version.hasEndOfRange() && (flags == EndOfRange.NON_EXISTENT || flags == EndOfRange.UNKNOWN
                || flags == EndOfRange.TIMED_OUT && version.hasTimedOutRange());
    }

    private long groupFromDelta(long delta) throws ProtocolException {
        long step = delta + 1;
        long g = descending ? group - step : group + step;
        if (step == 0 || (descending ? Long.compareUnsigned(g, group) >= 0 : Long.compareUnsigned(g, group) <= 0)) {
            throw Wire.malformed("fetch group id out of range");
        }
        return g;
    }

    private long boundedProps(long n) throws ProtocolException {
        if (!in.missing && (n < 0 || n > IetfLimits.MAX_PROPERTIES)) {
            throw Wire.malformed("object properties length " + Long.toUnsignedString(n) + " exceeds " + IetfLimits.MAX_PROPERTIES);
        }
        return n;
    }

    private long boundedPayload(long n) throws ProtocolException {
        if (!in.missing && (n < 0 || n > maxObjectSize)) {
            throw Wire.payloadTooLarge(n, maxObjectSize);
        }
        return n;
    }

    /** Call at FIN: a stream that ended before its header or inside an object is malformed. */
    public void finish() throws ProtocolException {
        if (header == null) {
            throw Wire.malformed("fetch stream ended before its header");
        }
        if (in.readable() > 0) {
            throw Wire.malformed("fetch stream ended inside an object (" + in.readable() + " bytes left)");
        }
    }

    /** Releases the buffered bytes; entries already returned stay valid. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            in.release();
        }
    }
}
