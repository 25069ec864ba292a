package dev.jmoq.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;

/** Stream helpers the transport tests share, whatever the transport. */
public final class TestStreams {
    private TestStreams() {
    }

    /** Gives each uni stream the peer opens on {@code c} to {@code reader}; bidi streams are reset (code 1). */
    public static void readUniStreamsWith(MoqConnection c, StreamReader reader) throws Exception {
        c.eventLoop().submit(() -> c.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.reset(1);
            }

            @Override
            public void onUniStream(RecvStream stream) {
                stream.setReader(reader);
            }

            @Override
            public void onClosed(long code, String reason) {
            }
        })).get(5, TimeUnit.SECONDS);
    }

    /**
     * Writes {@code payload} to {@code out} in 16 KiB chunks as the stream takes them; call on its event
     * loop. The FIN goes with the last chunk when {@code finWithLastChunk}, else on its own after it.
     */
    public static void pump(SendStream out, byte[] payload, boolean finWithLastChunk) {
        int[] at = {0};
        Runnable pump = () -> {
            while (at[0] < payload.length && out.isWritable()) {
                int n = Math.min(16 * 1024, payload.length - at[0]);
                ByteBuf chunk = ByteBufAllocator.DEFAULT.buffer(n).writeBytes(payload, at[0], n);
                at[0] += n;
                if (at[0] == payload.length && finWithLastChunk) {
                    out.writeAndFinish(chunk);
                    return;
                }
                out.write(chunk);
            }
            out.flush();
            if (at[0] == payload.length && !finWithLastChunk) {
                out.finish();
            }
        };
        out.onWritable(pump);
        pump.run();
    }
}
