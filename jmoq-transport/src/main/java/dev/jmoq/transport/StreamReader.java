package dev.jmoq.transport;

import io.netty.buffer.ByteBuf;

/** Receives the bytes of a {@link RecvStream}. Every method runs on the connection's event loop. */
public interface StreamReader {
    /** More bytes arrived, in order. The reader owns {@code data} and must release it. */
    void onData(ByteBuf data);

    /** The peer finished the stream (FIN); no more data follows. */
    void onFinish();

    /** The peer reset the stream with {@code code}, or the connection closed ({@code code} -1). */
    void onReset(long code);
}
