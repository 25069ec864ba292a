package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.PathNormalizer;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.Track;
import dev.jmoq.wire.lite.TrackInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CompletableFuture;

/**
 * Answers the peer's TRACK streams (moq-lite-05, draft-lcurley-moq-lite-05 "TRACK"): one TRACK_INFO and
 * FIN, or a reset with NOT_FOUND / UNAUTHORIZED. {@code @moq/net} opens TRACK before every SUBSCRIBE and
 * FETCH and waits for the answer, so a lite-05 viewer depends on it. The info is the source's
 * ({@link FrameTimestamps#info}): a lite-05 publisher's TRACK_INFO, fetched upstream once and cached by
 * its session, or milliseconds and defaults for tracks whose frames the relay stamps itself.
 *
 * <p>Threading: the session's event loop; an upstream answer hops back onto it.
 */
final class LiteTrackServer {
    private final LiteSession session;
    private final Origin serve;
    private final LiteSubscriber subscriber;

    LiteTrackServer(LiteSession session, Origin serve, LiteSubscriber subscriber) {
        this.session = session;
        this.serve = serve;
        this.subscriber = subscriber;
    }

    void serve(BidiStream stream, Track request, MessageStream reader) {
        reader.parser(rest -> rest.skipBytes(rest.readableBytes()));
        String path = Paths.join(session.root(), PathNormalizer.normalize(request.broadcast()));
        if (!session.grant().maySubscribe(path)) {
            session.stats().unauthorized.increment();
            refuse(stream, reader, LiteErrorCode.UNAUTHORIZED);
            return;
        }
        Broadcast b = serve.get(path);
        if (b == null || subscriber.isFromPeer(b) || (b.source() == null && b.track(request.track()) == null)) {
            session.stats().subscribesNotFound.increment();
            LiteSession.LOG.log(System.Logger.Level.DEBUG,
                    () -> "event=track_not_found broadcast=" + path + " track=" + request.track());
            refuse(stream, reader, LiteErrorCode.NOT_FOUND);
            return;
        }
        CompletableFuture<TrackInfo> info = FrameTimestamps.info(b, request.track());
        info.whenComplete((ti, err) -> session.loop().execute(() -> {
            if (stream.isClosed() || session.isClosed()) {
                return;
            }
            if (err != null) {
                refuse(stream, reader, LiteErrorCode.NOT_FOUND);
                return;
            }
            reader.finish();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(24);
            ti.encode(out, session.version());
            stream.writeAndFinish(out);
        }));
    }

    private static void refuse(BidiStream stream, MessageStream reader, long code) {
        reader.finish();
        stream.stopSending(code);
        stream.reset(code);
    }
}
