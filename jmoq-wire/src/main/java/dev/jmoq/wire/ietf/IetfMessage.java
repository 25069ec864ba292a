package dev.jmoq.wire.ietf;

import io.netty.buffer.ByteBuf;

/**
 * A moq-transport control message (control stream or request stream). Records are immutable values
 * holding the union of a message's fields across drafts; a field a draft lacks is not written and
 * decodes to its documented default. Each record's {@code decode(ByteBuf body, IetfVersion)} reads
 * the body; {@link ControlCodec} adds and strips the framing (Type, 16-bit Length).
 */
public sealed interface IetfMessage permits ClientSetup, ServerSetup, Setup, Goaway, MaxRequestId, RequestsBlocked,
        Subscribe, SubscribeOk, RequestError, RequestOk, RequestUpdate, Unsubscribe, PublishDone, Publish, PublishOk,
        Fetch, FetchOk, FetchCancel, TrackStatus, TrackStatusOk, PublishNamespace, PublishNamespaceDone,
        PublishNamespaceCancel, SubscribeNamespace, SubscribeTracks, UnsubscribeNamespace, Namespace, NamespaceDone,
        PublishBlocked, PublishStateNotify {

    /** The message type in draft {@code v}, or -1 when the message does not exist there. */
    long type(IetfVersion v);

    /** Writes the body (no framing). IllegalArgumentException for a field out of range: a caller bug. */
    void encodeBody(ByteBuf out, IetfVersion v);
}
