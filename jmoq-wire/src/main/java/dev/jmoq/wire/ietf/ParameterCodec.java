package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes parameter blocks. Message parameters: a count, then per parameter the type
 * (absolute on 14-15, a delta from the previous type on 16+) and the value in its
 * {@link ParameterForm}. Setup options: Key-Value-Pairs, counted on 14-16, running to the end of
 * SETUP on 17+. Counts and value lengths are bounded before allocation; a repeated type (other than
 * AUTHORIZATION_TOKEN) is rejected. Stateless.
 */
final class ParameterCodec {
    private ParameterCodec() {
    }

    static Parameters readMessage(ByteBuf b, IetfVersion v) throws ProtocolException {
        int count = Wire.bounded(b, v, IetfLimits.MAX_PARAMETERS, "parameter count");
        if (count > b.readableBytes()) {
            throw Wire.malformed("truncated parameters");
        }
        List<Parameter> out = new ArrayList<>(count);
        Set<Long> seen = new HashSet<>();
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long type = readType(b, v, i, previous);
            previous = type;
            checkDuplicate(seen, type, v);
            out.add(readValue(b, v, type));
        }
        return new Parameters(out);
    }

    static void writeMessage(ByteBuf out, IetfVersion v, Parameters ps) {
        Wire.writeVarint(out, v, ps.size());
        long previous = 0;
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.list().get(i);
            writeType(out, v, i, previous, p.type());
            previous = p.type();
            writeValue(out, v, p);
        }
    }

    static Parameters readSetup(ByteBuf b, IetfVersion v) throws ProtocolException {
        int count = Integer.MAX_VALUE;
        if (!v.hasUncountedSetupOptions()) {
            count = Wire.bounded(b, v, IetfLimits.MAX_PARAMETERS, "setup parameter count");
        }
        List<Parameter> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long previous = 0;
        for (int i = 0; i < count && (count != Integer.MAX_VALUE || b.isReadable()); i++) {
            if (i >= IetfLimits.MAX_PARAMETERS) {
                throw Wire.malformed("more than " + IetfLimits.MAX_PARAMETERS + " setup options");
            }
            long type = readType(b, v, i, previous);
            previous = type;
            checkDuplicate(seen, type, v);
            if ((type & 1) == 0) {
                out.add(new Parameter.Int(type, Wire.varint(b, v, "setup option value")));
            } else {
                out.add(new Parameter.Raw(type, Wire.octets(b, v, IetfLimits.MAX_CONTROL_MESSAGE, "setup option")));
            }
        }
        return new Parameters(out);
    }

    static void writeSetup(ByteBuf out, IetfVersion v, Parameters ps) {
        if (!v.hasUncountedSetupOptions()) {
            Wire.writeVarint(out, v, ps.size());
        }
        long previous = 0;
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.list().get(i);
            writeType(out, v, i, previous, p.type());
            previous = p.type();
            switch (p) {
                case Parameter.Int n when (n.type() & 1) == 0 -> Wire.writeVarint(out, v, n.value());
                case Parameter.Raw r when (r.type() & 1) == 1 -> Wire.writeOctets(out, v, r.value());
                default -> throw new IllegalArgumentException("setup option " + p + " does not match its type's parity");
            }
        }
    }

    private static long readType(ByteBuf b, IetfVersion v, int i, long previous) throws ProtocolException {
        long t = Wire.varint(b, v, "parameter type");
        if (!v.hasDeltaParameters() || i == 0) {
            return t;
        }
        long type = previous + t;
        if (Long.compareUnsigned(type, previous) < 0) {
            throw Wire.malformed("parameter type overflows");
        }
        return type;
    }

    private static void writeType(ByteBuf out, IetfVersion v, int i, long previous, long type) {
        if (!v.hasDeltaParameters() || i == 0) {
            Wire.writeVarint(out, v, type);
            return;
        }
        if (Long.compareUnsigned(type, previous) < 0) {
            throw new IllegalArgumentException("parameters must be in ascending type order on " + v);
        }
        Wire.writeVarint(out, v, type - previous);
    }

    private static void checkDuplicate(Set<Long> seen, long type, IetfVersion v) throws ProtocolException {
        if (!seen.add(type) && type != MessageParameter.AUTHORIZATION_TOKEN) {
            throw new ProtocolException(v.hasTypedParameters() ? IetfErrorCode.PROTOCOL_VIOLATION.code()
                    : IetfErrorCode.KEY_VALUE_FORMATTING_ERROR.code(), "duplicate parameter 0x" + Long.toHexString(type), true);
        }
    }

    private static Parameter readValue(ByteBuf b, IetfVersion v, long type) throws ProtocolException {
        ParameterForm form = ParameterForm.of(type, v);
        if (form == null) {
            throw Wire.malformed("unknown message parameter 0x" + Long.toHexString(type));
        }
        return switch (form) {
            case VARINT -> new Parameter.Int(type, Wire.varint(b, v, "parameter value"));
            case UINT8 -> new Parameter.Int(type, Wire.u8(b, "parameter value"));
            case BYTES -> new Parameter.Raw(type, Wire.octets(b, v, IetfLimits.MAX_CONTROL_MESSAGE, "parameter"));
            case NAMESPACE -> new Parameter.Prefix(type, Wire.namespace(b, v));
            case LENGTH_PREFIXED_UINT8 -> {
                ByteBuf value = lengthPrefixed(b, v);
                Parameter p = new Parameter.Int(type, Wire.u8(value, "parameter value"));
                requireEnd(value, type);
                yield p;
            }
            case LOCATION -> {
                if (!v.hasLengthPrefixedLocationParameter()) {
                    yield new Parameter.At(type, Wire.location(b, v, "parameter"));
                }
                ByteBuf value = lengthPrefixed(b, v);
                Parameter p = new Parameter.At(type, Wire.location(value, v, "parameter"));
                requireEnd(value, type);
                yield p;
            }
            case FILTER -> new Parameter.Filter(type, SubscriptionFilter.decodeValue(lengthPrefixed(b, v), v));
        };
    }

    private static void writeValue(ByteBuf out, IetfVersion v, Parameter p) {
        ParameterForm form = ParameterForm.of(p.type(), v);
        if (form == null) {
            throw new IllegalArgumentException("parameter 0x" + Long.toHexString(p.type()) + " does not exist in " + v);
        }
        switch (p) {
            case Parameter.Int n when form == ParameterForm.VARINT -> Wire.writeVarint(out, v, n.value());
            case Parameter.Int n when form == ParameterForm.UINT8 -> out.writeByte(Wire.checkU8((int) n.value(), "parameter"));
            case Parameter.Int n when form == ParameterForm.LENGTH_PREFIXED_UINT8 -> {
                Wire.writeVarint(out, v, 1);
                out.writeByte(Wire.checkU8((int) n.value(), "parameter"));
            }
            case Parameter.Raw r when form == ParameterForm.BYTES -> Wire.writeOctets(out, v, r.value());
            case Parameter.Prefix ns when form == ParameterForm.NAMESPACE -> Wire.writeNamespace(out, v, ns.value());
            case Parameter.At at when form == ParameterForm.LOCATION -> {
                if (v.hasLengthPrefixedLocationParameter()) {
                    Wire.writeVarint(out, v, v.varint().size(at.value().group()) + v.varint().size(at.value().object()));
                }
                Wire.writeLocation(out, v, at.value());
            }
            case Parameter.Filter f when form == ParameterForm.FILTER -> {
                ByteBuf value = out.alloc().heapBuffer(16);
                try {
                    f.value().encodeValue(value, v);
                    Wire.writeVarint(out, v, value.readableBytes());
                    out.writeBytes(value);
                } finally {
                    value.release();
                }
            }
            default -> throw new IllegalArgumentException("parameter " + p + " is not of form " + form + " in " + v);
        }
    }

    private static ByteBuf lengthPrefixed(ByteBuf b, IetfVersion v) throws ProtocolException {
        int len = Wire.bounded(b, v, IetfLimits.MAX_CONTROL_MESSAGE, "parameter length");
        if (len > b.readableBytes()) {
            throw Wire.malformed("truncated parameter value");
        }
        ByteBuf value = b.slice(b.readerIndex(), len);
        b.skipBytes(len);
        return value;
    }

    private static void requireEnd(ByteBuf value, long type) throws ProtocolException {
        if (value.isReadable()) {
            throw Wire.malformed("parameter 0x" + Long.toHexString(type) + " has trailing bytes");
        }
    }
}
