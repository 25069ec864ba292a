package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/** Reads a message body that its framing has already bounded; must consume it exactly. */
@FunctionalInterface
interface BodyDecoder<M> {
    M decodeBody(ByteBuf body, LiteVersion v) throws ProtocolException;
}
