package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * OBJECT_DATAGRAM (draft 14+ "Object Datagram"): one object, or one object status, in a QUIC
 * datagram. Type (Type Flags on 20): PROPERTIES / extensions (0x01), END_OF_GROUP (0x02),
 * ZERO_OBJECT_ID (0x04: no Object ID field, id 0), DEFAULT_PRIORITY (0x08, 15+: no priority byte),
 * STATUS (0x20: an Object Status instead of a payload). Then Track Alias, Group ID, [Object ID],
 * [Publisher Priority (8)], [Properties Length + Properties], [Object Status] or the payload (the rest
 * of the datagram). Draft 14 has types 0x00-0x07 and 0x20-0x21 only.
 *
 * <p>{@code publisherPriority} is -1 when inherited; {@code properties} null when absent; {@code payload}
 * null for a status datagram. Decoded buffers are retained slices of the datagram: the holder
 * releases them ({@link #release}).
 */
public record ObjectDatagram(long trackAlias, long groupId, long objectId, int publisherPriority, boolean endOfGroup,
        ByteBuf properties, long status, ByteBuf payload) {

    /** True when {@code type} is a valid datagram type in draft {@code v}. */
    public static boolean isDatagramType(long type, IetfVersion v) {
        if (type < 0 || type >= 0x30 || (type & 0x10) != 0) {
            return false;
        }
        boolean status = (type & 0x20) != 0;
        if (status && (type & 0x02) != 0) {
            return false;
        }
        if ((type & 0x08) != 0 && !v.hasDatagramDefaultPriority()) {
            return false;
        }
        return !(status && (type & 0x04) != 0 && !v.hasStatusZeroObjectId());
    }

    /** The datagram type for these fields. */
    public long type(IetfVersion v) {
        long t = (properties != null ? 0x01 : 0) | (endOfGroup ? 0x02 : 0)
                | (objectId == 0 && (payload != null || v.hasStatusZeroObjectId()) ? 0x04 : 0)
                | (publisherPriority < 0 ? 0x08 : 0) | (payload == null ? 0x20 : 0);
        if (!isDatagramType(t, v)) {
            throw new IllegalArgumentException("no datagram type 0x" + Long.toHexString(t) + " in " + v);
        }
        return t;
    }

    /** True when {@code d} is a padding datagram (draft 18+, type 0x132B3E29), to be discarded. */
    public static boolean isPadding(ByteBuf d, IetfVersion v) throws ProtocolException {
        return v.hasPadding() && v.varint().isReadable(d)
                && v.varint().get(d, d.readerIndex()) == DataStreamType.PADDING_DATAGRAM;
    }

    /** Decodes a whole datagram; PROTOCOL_VIOLATION for an invalid type or truncated fields. */
    public static ObjectDatagram decode(ByteBuf d, IetfVersion v) throws ProtocolException {
        long type = Wire.varint(d, v, "datagram type");
        if (!isDatagramType(type, v)) {
            throw Wire.malformed("invalid datagram type 0x" + Long.toHexString(type) + " in " + v);
        }
        long alias = Wire.varint(d, v, "track alias");
        long group = Wire.varint(d, v, "group id");
        long object = (type & 0x04) != 0 ? 0 : Wire.varint(d, v, "object id");
        int priority = (type & 0x08) != 0 ? -1 : Wire.u8(d, "publisher priority");
        ByteBuf props = null;
        if ((type & 0x01) != 0) {
            int n = Wire.bounded(d, v, IetfLimits.MAX_PROPERTIES, "properties length");
            if (n > d.readableBytes()) {
                throw Wire.malformed("truncated properties");
            }
            if (n == 0 && v.draft() >= 16) {
                throw Wire.malformed("datagram PROPERTIES bit with no properties");
            }
            props = d.readRetainedSlice(n);
        }
        if ((type & 0x20) != 0) {
            long status;
            try {
                status = Wire.varint(d, v, "object status");
                if (d.isReadable()) {
                    throw Wire.malformed("status datagram has trailing bytes");
                }
            } catch (ProtocolException e) {
                if (props != null) {
                    props.release();
                }
                throw e;
            }
            return new ObjectDatagram(alias, group, object, priority, false, props, status, null);
        }
        ByteBuf payload = d.readRetainedSlice(d.readableBytes());
        return new ObjectDatagram(alias, group, object, priority, (type & 0x02) != 0, props, ObjectStatus.NORMAL, payload);
    }

    /** Writes the datagram; the payload bytes are copied into {@code out}. */
    public void encode(ByteBuf out, IetfVersion v) {
        encodeHeader(out, v);
        if (payload != null) {
            out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        }
    }

    /** Writes everything but the payload (for a composite datagram without a copy). */
    public void encodeHeader(ByteBuf out, IetfVersion v) {
        long t = type(v);
        Wire.writeVarint(out, v, t);
        Wire.writeVarint(out, v, trackAlias);
        Wire.writeVarint(out, v, groupId);
        if ((t & 0x04) == 0) {
            Wire.writeVarint(out, v, objectId);
        }
        if (publisherPriority >= 0) {
            out.writeByte(Wire.checkU8(publisherPriority, "publisher priority"));
        }
        if (properties != null) {
            Wire.writeVarint(out, v, properties.readableBytes());
            out.writeBytes(properties, properties.readerIndex(), properties.readableBytes());
        }
        if (payload == null) {
            Wire.writeVarint(out, v, status);
        }
    }

    /** Releases the payload and properties of a decoded datagram. */
    public void release() {
        if (payload != null) {
            payload.release();
        }
        if (properties != null) {
            properties.release();
        }
    }
}
