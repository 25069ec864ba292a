package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Which objects a subscription (or draft-20 fetch) delivers: the Filter Type of drafts 14-19
 * (inline in draft 14's SUBSCRIBE and PUBLISH_OK; the SUBSCRIPTION_FILTER / LOCATION_FILTER
 * parameter from 15) and draft 20's LOCATION_FILTER of up to four varints.
 *
 * <table>
 * <caption>Kinds and their encodings</caption>
 * <tr><th>kind</th><th>14-19 (Filter Type)</th><th>20 (fields)</th></tr>
 * <tr><td>NONE (unfiltered)</td><td>no parameter; inline on 14: 0x3 with Start {0, 0}</td><td>no fields</td></tr>
 * <tr><td>NEXT_GROUP_START</td><td>0x1</td><td>StartGroup = 0</td></tr>
 * <tr><td>RELATIVE (startGroup = N &gt;= 1 groups back)</td><td>-</td><td>StartGroup = N</td></tr>
 * <tr><td>LARGEST_OBJECT (next object)</td><td>0x2</td><td>StartGroup = 0, StartObject = 0</td></tr>
 * <tr><td>ABSOLUTE_START</td><td>0x3, Start</td><td>StartGroup, StartObject (not both 0)</td></tr>
 * <tr><td>ABSOLUTE_RANGE</td><td>0x4, Start, End Group (a delta from 17)</td><td>+ EndGroupDelta</td></tr>
 * <tr><td>ABSOLUTE_OBJECT_RANGE</td><td>-</td><td>+ EndGroupDelta, EndObject</td></tr>
 * </table>
 *
 * <p>{@code endGroup} is always absolute here; the codec applies the deltas.
 */
public record SubscriptionFilter(Kind kind, long startGroup, long startObject, long endGroup, long endObject) {
    public enum Kind { NONE, NEXT_GROUP_START, RELATIVE, LARGEST_OBJECT, ABSOLUTE_START, ABSOLUTE_RANGE, ABSOLUTE_OBJECT_RANGE }

    public static final SubscriptionFilter NONE = new SubscriptionFilter(Kind.NONE, 0, 0, 0, 0);
    public static final SubscriptionFilter NEXT_GROUP_START = new SubscriptionFilter(Kind.NEXT_GROUP_START, 0, 0, 0, 0);
    public static final SubscriptionFilter LARGEST_OBJECT = new SubscriptionFilter(Kind.LARGEST_OBJECT, 0, 0, 0, 0);

    private static final long TAG_NEXT_GROUP_START = 0x1;
    private static final long TAG_LARGEST_OBJECT = 0x2;
    private static final long TAG_ABSOLUTE_START = 0x3;
    private static final long TAG_ABSOLUTE_RANGE = 0x4;

    public SubscriptionFilter {
        Objects.requireNonNull(kind, "kind");
    }

    /** Draft 20: start {@code groups} groups before the next group ({@code groups} &gt;= 1). */
    public static SubscriptionFilter relative(long groups) {
        return groups == 0 ? NEXT_GROUP_START : new SubscriptionFilter(Kind.RELATIVE, groups, 0, 0, 0);
    }

    public static SubscriptionFilter absoluteStart(Location start) {
        return new SubscriptionFilter(Kind.ABSOLUTE_START, start.group(), start.object(), 0, 0);
    }

    /** From {@code start} to the end of group {@code endGroup} (inclusive). */
    public static SubscriptionFilter absoluteRange(Location start, long endGroup) {
        return new SubscriptionFilter(Kind.ABSOLUTE_RANGE, start.group(), start.object(), endGroup, 0);
    }

    /** Draft 20: from {@code start} to {@code end} (inclusive). */
    public static SubscriptionFilter absoluteObjectRange(Location start, Location end) {
        return new SubscriptionFilter(Kind.ABSOLUTE_OBJECT_RANGE, start.group(), start.object(), end.group(), end.object());
    }

    public Location start() {
        return new Location(startGroup, startObject);
    }

    /** Draft 14: the tagged filter inline in a message body (no length). */
    static SubscriptionFilter decodeInline(ByteBuf b, IetfVersion v) throws ProtocolException {
        return decodeTagged(b, v);
    }

    void encodeInline(ByteBuf out, IetfVersion v) {
        encodeTagged(out, v);
    }

    /** The parameter value (already cut to its length): tagged on 15-19, fields on 20. */
    static SubscriptionFilter decodeValue(ByteBuf value, IetfVersion v) throws ProtocolException {
        SubscriptionFilter f = v.hasLocationFilterFields() ? decodeFields(value, v) : decodeTagged(value, v);
        if (value.isReadable()) {
            throw Wire.malformed("location filter has trailing bytes");
        }
        return f;
    }

    void encodeValue(ByteBuf out, IetfVersion v) {
        if (v.hasLocationFilterFields()) {
            encodeFields(out, v);
        } else {
            encodeTagged(out, v);
        }
    }

    private static SubscriptionFilter decodeTagged(ByteBuf b, IetfVersion v) throws ProtocolException {
        long tag = Wire.varint(b, v, "filter type");
        if (tag == TAG_NEXT_GROUP_START) {
            return NEXT_GROUP_START;
        }
        if (tag == TAG_LARGEST_OBJECT) {
            return LARGEST_OBJECT;
        }
        if (tag == TAG_ABSOLUTE_START) {
            return absoluteStart(Wire.location(b, v, "filter start"));
        }
        if (tag == TAG_ABSOLUTE_RANGE) {
            Location start = Wire.location(b, v, "filter start");
            long end = Wire.varint(b, v, "filter end group");
            return absoluteRange(start, v.hasEndGroupDelta() ? addExact(start.group(), end) : end);
        }
        throw Wire.malformed("unknown filter type " + tag);
    }

    private void encodeTagged(ByteBuf out, IetfVersion v) {
        switch (kind) {
            case NONE -> {
                // Unfiltered: every object from {0, 0} on, which the tagged form says as an absolute start.
                Wire.writeVarint(out, v, TAG_ABSOLUTE_START);
                Wire.writeLocation(out, v, Location.ZERO);
            }
            case NEXT_GROUP_START -> Wire.writeVarint(out, v, TAG_NEXT_GROUP_START);
            case LARGEST_OBJECT -> Wire.writeVarint(out, v, TAG_LARGEST_OBJECT);
            case ABSOLUTE_START -> {
                Wire.writeVarint(out, v, TAG_ABSOLUTE_START);
                Wire.writeLocation(out, v, start());
            }
            case ABSOLUTE_RANGE -> {
                Wire.writeVarint(out, v, TAG_ABSOLUTE_RANGE);
                Wire.writeLocation(out, v, start());
                Wire.writeVarint(out, v, v.hasEndGroupDelta() ? endDelta() : endGroup);
            }
            default -> throw new IllegalArgumentException(kind + " filter does not exist in " + v);
        }
    }

    private static SubscriptionFilter decodeFields(ByteBuf b, IetfVersion v) throws ProtocolException {
        long[] f = new long[4];
        int n = 0;
        while (b.isReadable()) {
            if (n == 4) {
                throw Wire.malformed("location filter has more than four fields");
            }
            f[n++] = Wire.varint(b, v, "location filter field");
        }
        return switch (n) {
            case 0 -> NONE;
            case 1 -> relative(f[0]);
            case 2 -> f[0] == 0 && f[1] == 0 ? LARGEST_OBJECT : absoluteStart(new Location(f[0], f[1]));
            case 3 -> absoluteRange(new Location(f[0], f[1]), addExact(f[0], f[2]));
            default -> absoluteObjectRange(new Location(f[0], f[1]), new Location(addExact(f[0], f[2]), f[3]));
        };
    }

    private void encodeFields(ByteBuf out, IetfVersion v) {
        switch (kind) {
            case NONE -> {
            }
            case NEXT_GROUP_START -> Wire.writeVarint(out, v, 0);
            case RELATIVE -> Wire.writeVarint(out, v, startGroup);
            case LARGEST_OBJECT -> {
                Wire.writeVarint(out, v, 0);
                Wire.writeVarint(out, v, 0);
            }
            case ABSOLUTE_START -> {
                if (startGroup == 0 && startObject == 0) {
                    throw new IllegalArgumentException("absolute start {0,0} is unfiltered on " + v + ": use NONE");
                }
                Wire.writeLocation(out, v, start());
            }
            case ABSOLUTE_RANGE -> {
                Wire.writeLocation(out, v, start());
                Wire.writeVarint(out, v, endDelta());
            }
            case ABSOLUTE_OBJECT_RANGE -> {
                Wire.writeLocation(out, v, start());
                Wire.writeVarint(out, v, endDelta());
                Wire.writeVarint(out, v, endObject);
            }
        }
    }

    private long endDelta() {
        if (Long.compareUnsigned(endGroup, startGroup) < 0) {
            throw new IllegalArgumentException("filter end group " + endGroup + " before start " + startGroup);
        }
        return endGroup - startGroup;
    }

    private static long addExact(long a, long b) throws ProtocolException {
        long s = a + b;
        if (Long.compareUnsigned(s, a) < 0) {
            throw Wire.malformed("filter end group overflows");
        }
        return s;
    }
}
