package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.PathNormalizer;
import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.Track;
import dev.jmoq.wire.lite.TrackInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The TRACK_INFO of the peer's tracks (moq-lite-05 and later, draft-lcurley-moq-lite-05 "TRACK"): opens a
 * TRACK stream {@code {broadcast, track}} upstream, reads the one TRACK_INFO, and caches it per track for
 * the session's life (it is immutable for the track's life). A relay needs it before it answers a
 * downstream TRACK for that track, because the timestamps it relays are in that TRACK_INFO's timescale.
 * A failed request is not cached, so a later one may succeed.
 *
 * <p>Threading: the session's event loop; the futures complete there.
 */
final class LiteTrackInfos {
    private final LiteSession session;
    private final Map<String, CompletableFuture<TrackInfo>> cache = new HashMap<>();

    LiteTrackInfos(LiteSession session) {
        this.session = session;
    }

    /** The TRACK_INFO of {@code track} in the peer's broadcast {@code broadcast} (relative to the root). */
    CompletableFuture<TrackInfo> get(String broadcast, String track) {
        String key = broadcast + '\n' + track;
        CompletableFuture<TrackInfo> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<TrackInfo> f = new CompletableFuture<>();
        cache.put(key, f);
        f.whenComplete((info, err) -> {
            if (err != null) {
                cache.remove(key, f);
            }
        });
        request(broadcast, track, f);
        return f;
    }

    /** Forgets the broadcast's tracks (it ended; a new one of the same path may differ). */
    void forget(String broadcast) {
        cache.keySet().removeIf(k -> k.startsWith(broadcast + '\n'));
    }

    private void request(String broadcast, String track, CompletableFuture<TrackInfo> f) {
        int maxMessageSize = session.config().maxMessageSize();
        session.connection().openBidi().addListener(opened -> {
            if (!opened.isSuccess() || session.isClosed()) {
                f.completeExceptionally(new IllegalStateException("cannot open TRACK stream"));
                return;
            }
            BidiStream s = (BidiStream) opened.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.TRACK.write(out);
            new Track(PathNormalizer.slashedPath(broadcast), track).encode(out, session.version());
            s.writeAndFinish(out);
            new MessageStream(s, maxMessageSize, LiteErrorCode.PROTOCOL_VIOLATION, in -> {
                if (f.isDone()) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                TrackInfo info = TrackInfo.DECODER.tryDecode(in, session.version(), maxMessageSize);
                if (info != null) {
                    f.complete(info);
                }
            }, new MessageStream.Events() {
                @Override
                public void onEnd() {
                    f.completeExceptionally(new IllegalStateException("TRACK stream ended without TRACK_INFO"));
                }

                @Override
                public void onReset(long code) {
                    f.completeExceptionally(new IllegalStateException("TRACK refused with code " + code));
                }

                @Override
                public void onError(ProtocolException e) {
                    session.protocolError("track", e);
                    f.completeExceptionally(e);
                    s.reset(e.code());
                }
            }).attach();
        });
    }
}
