package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * Reads and writes framed control messages: Message Type (varint in the draft's encoding), Message
 * Length (16 bits), body. Which record a type decodes to depends on the draft (0x7, 0x8, 0xE and 0xF
 * changed meaning); that choice is {@link #decodeBody}'s table. Stateless and thread-safe; nothing here
 * retains or releases the caller's buffers.
 */
public final class ControlCodec {
    private ControlCodec() {
    }

    /**
     * Decodes one message at {@code in}'s reader index, or returns null, consuming nothing, while it is
     * incomplete. A length above {@code maxSize} fails as soon as the length is readable; an unknown
     * type, a body that does not parse, or trailing bytes in the body fail with PROTOCOL_VIOLATION
     * (session fatal). On success consumes exactly the message.
     */
    public static IetfMessage tryRead(ByteBuf in, IetfVersion v, int maxSize) throws ProtocolException {
        int start = in.readerIndex();
        if (!in.isReadable()) {
            return null;
        }
        int typeLen = v.varint().length(in, start);
        if (in.readableBytes() < typeLen + 2) {
            return null;
        }
        long type = v.varint().get(in, start);
        int length = in.getUnsignedShort(start + typeLen);
        if (length > maxSize) {
            throw new ProtocolException(IetfErrorCode.PROTOCOL_VIOLATION.code(),
                    "control message 0x" + Long.toHexString(type) + " length " + length + " exceeds " + maxSize, true,
                    ProtocolException.Limit.MESSAGE_SIZE);
        }
        if (in.readableBytes() < typeLen + 2 + length) {
            return null;
        }
        ByteBuf body = in.slice(start + typeLen + 2, length);
        IetfMessage m = decodeBody(type, body, v);
        if (body.isReadable()) {
            throw Wire.malformed("control message 0x" + Long.toHexString(type) + " has " + body.readableBytes()
                    + " trailing bytes");
        }
        in.readerIndex(start + typeLen + 2 + length);
        return m;
    }

    /** Writes {@code m} framed. IllegalArgumentException when it does not exist in {@code v} or is too large. */
    public static void write(ByteBuf out, IetfMessage m, IetfVersion v) {
        long type = m.type(v);
        if (type < 0) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + " does not exist in " + v);
        }
        ByteBuf body = out.alloc().heapBuffer(64);
        try {
            m.encodeBody(body, v);
            if (body.readableBytes() > IetfLimits.MAX_CONTROL_MESSAGE) {
                throw new IllegalArgumentException("control message too large: " + body.readableBytes());
            }
            v.varint().write(out, type);
            out.writeShort(body.readableBytes());
            out.writeBytes(body);
        } finally {
            body.release();
        }
    }

    /**
     * Draft 17+: whether a bidirectional stream may begin with message {@code type} (TRACK_STATUS,
     * SUBSCRIBE, PUBLISH, FETCH, PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE and, 18+, SUBSCRIBE_TRACKS). Any
     * other first message is a PROTOCOL_VIOLATION. On drafts 14-16 only the client's control stream (first
     * message CLIENT_SETUP) and, on 16, SUBSCRIBE_NAMESPACE open bidirectional streams.
     */
    public static boolean startsRequestStream(long type, IetfVersion v) {
        if (!v.hasRequestStreams()) {
            return type == ClientSetup.TYPE || (v.hasNamespaceMessages() && type == v.subscribeNamespaceType());
        }
        return type == TrackStatus.TYPE || type == Subscribe.TYPE || type == Publish.TYPE || type == Fetch.TYPE
                || type == PublishNamespace.TYPE || type == v.subscribeNamespaceType()
                || (v.hasSubscribeTracks() && type == SubscribeTracks.TYPE);
    }

    /** The body decoder for {@code type} in draft {@code v}: the draft's message type table. */
    static IetfMessage decodeBody(long type, ByteBuf b, IetfVersion v) throws ProtocolException {
        boolean d14 = v == IetfVersion.DRAFT_14;
        boolean streams = v.hasRequestStreams();
        IetfMessage m = switch ((int) Math.min(type, Integer.MAX_VALUE)) {
            case 0x20 -> streams ? null : ClientSetup.decode(b, v);
            case 0x21 -> streams ? null : ServerSetup.decode(b, v);
            case 0x2F00 -> streams ? Setup.decode(b, v) : null;
            case 0x10 -> Goaway.decode(b, v);
            case 0x15 -> v.hasRequestFlowControl() ? MaxRequestId.decode(b, v) : null;
            case 0x1A -> v.hasRequestFlowControl() ? RequestsBlocked.decode(b, v) : null;
            case 0x2 -> RequestUpdate.decode(b, v);
            case 0x3 -> Subscribe.decode(b, v);
            case 0x4 -> SubscribeOk.decode(b, v);
            case 0x5 -> RequestError.decode(b, v, d14 ? RequestKind.SUBSCRIBE : RequestKind.ANY);
            case 0x6 -> PublishNamespace.decode(b, v);
            case 0x7 -> RequestOk.decode(b, v, d14 ? RequestKind.PUBLISH_NAMESPACE : RequestKind.ANY);
            case 0x8 -> d14 ? RequestError.decode(b, v, RequestKind.PUBLISH_NAMESPACE)
                    : v.hasNamespaceMessages() ? Namespace.decode(b, v) : null;
            case 0x9 -> v.hasDoneMessages() ? PublishNamespaceDone.decode(b, v) : null;
            case 0xA -> v.hasDoneMessages() ? Unsubscribe.decode(b, v) : null;
            case 0xB -> PublishDone.decode(b, v);
            case 0xC -> v.hasCancelMessages() ? PublishNamespaceCancel.decode(b, v) : null;
            case 0xD -> TrackStatus.decode(b, v);
            case 0xE -> d14 ? TrackStatusOk.decode(b, v) : v.hasNamespaceMessages() ? NamespaceDone.decode(b, v) : null;
            case 0xF -> d14 ? RequestError.decode(b, v, RequestKind.TRACK_STATUS)
                    : streams ? PublishBlocked.decode(b, v) : null;
            case 0x11 -> v.hasSubscribeTracks() ? null : SubscribeNamespace.decode(b, v);
            case 0x12 -> d14 ? RequestOk.decode(b, v, RequestKind.SUBSCRIBE_NAMESPACE) : null;
            case 0x13 -> d14 ? RequestError.decode(b, v, RequestKind.SUBSCRIBE_NAMESPACE) : null;
            case 0x14 -> v.hasUnsubscribeNamespace() ? UnsubscribeNamespace.decode(b, v) : null;
            case 0x16 -> Fetch.decode(b, v);
            case 0x17 -> v.hasCancelMessages() ? FetchCancel.decode(b, v) : null;
            case 0x18 -> FetchOk.decode(b, v);
            case 0x19 -> d14 ? RequestError.decode(b, v, RequestKind.FETCH) : null;
            case 0x1D -> Publish.decode(b, v);
            case 0x1E -> v.hasPublishOk() ? PublishOk.decode(b, v) : null;
            case 0x1F -> d14 ? RequestError.decode(b, v, RequestKind.PUBLISH) : null;
            case 0x22 -> v.hasPublishStateNotify() ? PublishStateNotify.decode(b, v) : null;
            case 0x50 -> v.hasSubscribeTracks() ? SubscribeNamespace.decode(b, v) : null;
            case 0x51 -> v.hasSubscribeTracks() ? SubscribeTracks.decode(b, v) : null;
            default -> null;
        };
        if (m == null) {
            throw Wire.malformed("unknown control message type 0x" + Long.toHexString(type) + " in " + v);
        }
        return m;
    }
}
