package dev.jmoq.transport.quic;

import dev.jmoq.transport.StreamReader;
import io.netty.buffer.ByteBuf;

/** A test reader that releases whatever arrives and ignores how the stream ends. */
public final class DrainReader implements StreamReader {
    @Override
    public void onData(ByteBuf data) {
        data.release();
    }

    @Override
    public void onFinish() {
    }

    @Override
    public void onReset(long code) {
    }
}
