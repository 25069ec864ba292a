package dev.jmoq.relay;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Track;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/** Test helper: subscribes and completes with how the track ended (-1 cleanly, else the code). */
public final class Subscriptions {
    private Subscriptions() {
    }

    public static CompletableFuture<Long> endOf(ClientSession s, String broadcast, String track) {
        CompletableFuture<Long> ended = new CompletableFuture<>();
        Track t = s.subscribe(broadcast, track);
        s.executor().execute(() -> TrackReader.ofSubscription(t, s.executor(), new TrackReader.Handler() {
            @Override
            public void onFrame(long sequence, int index, ByteBuf frame) {
            }

            @Override
            public void onEnd(long code) {
                ended.complete(code);
            }
        }).start());
        return ended;
    }
}
