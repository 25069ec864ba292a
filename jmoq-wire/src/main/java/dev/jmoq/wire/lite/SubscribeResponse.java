package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;

/**
 * The publisher's messages on a subscribe stream. Drafts 01/02: a bare size-prefixed SUBSCRIBE_OK.
 * Draft 03+: a type varint, then the size-prefixed body; the codes per draft come from
 * {@link LiteVersion#subscribeResponseType} (03/04: OK 0, DROP 1; 05: START 0, END 1, DROP 2).
 */
public sealed interface SubscribeResponse extends LiteMessage permits SubscribeOk, SubscribeStart, SubscribeEnd,
        SubscribeDrop {

    /** Which response this is. */
    enum Kind { OK, START, END, DROP }

    Kind kind();

    /** Writes the body alone, without type or size. */
    void encodeBody(ByteBuf out, LiteVersion v);

    @Override
    default boolean existsIn(LiteVersion v) {
        return kind() == Kind.OK ? v.subscribeOkLayout() != SubscribeOkLayout.ABSENT
                : v.subscribeResponseType(kind()) >= 0;
    }

    @Override
    default void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        long type = v.subscribeResponseType(kind());
        if (type >= 0) {
            VarInt.write(out, type);
        }
        LiteCodec.writeSizePrefixed(out, v, this::encodeBody);
    }

    /** Decodes any response, type prefix included where the draft has one. */
    MessageDecoder<SubscribeResponse> DECODER = (in, v, maxSize) -> {
        if (!v.hasSubscribeResponseType()) {
            return SubscribeOk.UNTYPED.tryDecode(in, v, maxSize);
        }
        if (!VarInt.isReadable(in)) {
            return null;
        }
        int start = in.readerIndex();
        int typeLen = VarInt.peekLength(in);
        long type = VarInt.get(in, start);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (v.subscribeResponseType(k) == type) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new ProtocolException(LiteErrorCode.UNEXPECTED_MESSAGE,
                    "unknown subscribe response type " + type + " in " + v, true);
        }
        if (in.readableBytes() <= typeLen) {
            return null;
        }
        int sizeAt = start + typeLen;
        int sizeLen = 1 << ((in.getByte(sizeAt) & 0xC0) >>> 6);
        if (in.readableBytes() < typeLen + sizeLen) {
            return null;
        }
        long size = VarInt.get(in, sizeAt);
        BodyDecoder<? extends SubscribeResponse> body = switch (kind) {
            case OK -> SubscribeOk::decodeBody;
            case START -> (b, ver) -> new SubscribeStart(Fields.varint(b, "group"));
            case END -> (b, ver) -> new SubscribeEnd(Fields.varint(b, "group"));
            case DROP -> (b, ver) -> new SubscribeDrop(Fields.varint(b, "start"), Fields.varint(b, "end"),
                    Fields.varint(b, "error"));
        };
        return LiteCodec.decodeBounded(in, v, maxSize, "SUBSCRIBE_" + kind, body, start, typeLen + sizeLen, size);
    };
}
