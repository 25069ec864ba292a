package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SUBSCRIBE_NAMESPACE (0x11 on 14-17, 0x50 from 18): be told of namespaces (and, before 18, tracks)
 * under {@code prefix}. Fields: Request ID, [Required Request ID Delta (17)], Track Namespace Prefix,
 * [Subscribe Options (16-17): {@link #PUBLISH}, {@link #NAMESPACE} or {@link #BOTH}], Parameters. From
 * 16 it runs on its own request stream and is answered with NAMESPACE / NAMESPACE_DONE.
 */
public record SubscribeNamespace(long requestId, TrackNamespace prefix, long subscribeOptions, Parameters parameters,
        long requiredRequestIdDelta) implements IetfMessage {
    /** Subscribe Options (drafts 16-17): the publisher PUBLISHes matching tracks. */
    public static final long PUBLISH = 0x0;
    /** Subscribe Options (drafts 16-17): the publisher sends NAMESPACE / NAMESPACE_DONE. */
    public static final long NAMESPACE = 0x1;
    /** Subscribe Options (drafts 16-17): both. */
    public static final long BOTH = 0x2;

    public SubscribeNamespace {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(parameters, "parameters");
    }

    public SubscribeNamespace(long requestId, TrackNamespace prefix, long subscribeOptions, Parameters parameters) {
        this(requestId, prefix, subscribeOptions, parameters, 0);
    }

    @Override
    public long type(IetfVersion v) {
        return v.subscribeNamespaceType();
    }

    public static SubscribeNamespace decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        long id = Wire.varint(b, v, "request id");
        long delta = v.hasRequiredRequestIdDelta() ? Wire.varint(b, v, "required request id delta") : 0;
        TrackNamespace prefix = Wire.namespace(b, v);
        long options = v.hasSubscribeOptions() ? Wire.varint(b, v, "subscribe options") : 0;
        return new SubscribeNamespace(id, prefix, options, ParameterCodec.readMessage(b, v), delta);
    }

    @Override
    public void encodeBody(ByteBuf out, IetfVersion v) {
        Wire.writeVarint(out, v, requestId);
        if (v.hasRequiredRequestIdDelta()) {
            Wire.writeVarint(out, v, requiredRequestIdDelta);
        }
        Wire.writeNamespace(out, v, prefix);
        if (v.hasSubscribeOptions()) {
            Wire.writeVarint(out, v, subscribeOptions);
        }
        ParameterCodec.writeMessage(out, v, parameters);
    }
}
