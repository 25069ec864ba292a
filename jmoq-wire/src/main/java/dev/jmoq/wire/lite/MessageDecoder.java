package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * Incrementally decodes one framed message from accumulated stream bytes.
 *
 * <p>Contract: returns null and consumes nothing while the message is incomplete; on success
 * consumes exactly the message. A size prefix above {@code maxSize} fails as soon as the prefix is
 * readable, before anything is allocated or awaited. Stateless and thread-safe; the returned
 * message holds no reference to {@code in}.
 */
@FunctionalInterface
public interface MessageDecoder<M> {
    M tryDecode(ByteBuf in, LiteVersion v, int maxSize) throws ProtocolException;
}
