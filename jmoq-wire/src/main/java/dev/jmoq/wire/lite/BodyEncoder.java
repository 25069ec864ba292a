package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;

/** Writes a message body, without its framing. */
@FunctionalInterface
interface BodyEncoder {
    void encodeBody(ByteBuf out, LiteVersion v);
}
