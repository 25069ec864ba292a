package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.PathNormalizer;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSource;
import dev.jmoq.core.session.MessageStream;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.Announce;
import dev.jmoq.wire.lite.AnnounceInit;
import dev.jmoq.wire.lite.AnnounceOk;
import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.Subscribe;
import dev.jmoq.wire.lite.SubscribeResponse;
import dev.jmoq.wire.lite.TrackInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import io.netty.util.concurrent.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The subscriber side of a moq-lite session: consumes what the peer publishes. Sends ANNOUNCE_PLEASE and
 * turns the peer's announcements into {@link Broadcast}s in the {@code publish} origin (relay sessions;
 * with loop avoidance by hop ids, the per-session announcement limit and the grant), and SUBSCRIBEs
 * upstream when a local subscriber first asks for a track of such a broadcast (this class is the
 * broadcasts' {@link TrackSource}). Incoming group streams are routed to the subscription's track by
 * {@link #route}.
 *
 * <p>Threading: the session's event loop; track requests from other threads hop onto it.
 */
final class LiteSubscriber {
    private final LiteSession session;
    private final Origin publish;
    /** Our subscriptions to the peer, by id. */
    private final Map<Long, RemoteTrack> remoteTracks = new HashMap<>();
    private long nextSubscribeId;
    /** Broadcasts the peer announced to us (relay side), by path relative to root. */
    private final Map<String, Broadcast> peerBroadcasts = new HashMap<>();
    private final PeerSource peerSource = new PeerSource();
    private boolean announceLimitLogged;
    private final LiteTrackInfos trackInfos;

    LiteSubscriber(LiteSession session, Origin publish) {
        this.session = session;
        this.publish = publish;
        this.trackInfos = new LiteTrackInfos(session);
    }

    /** True when {@code b} was learned from this session's peer (never offered back to it). */
    boolean isFromPeer(Broadcast b) {
        return b.source() == peerSource;
    }

    /** The track our subscription {@code subscribeId} fills, or null (group streams route here). */
    Track route(long subscribeId, long sequence) {
        RemoteTrack rt = remoteTracks.get(subscribeId);
        return rt == null ? null : rt.track;
    }

    // ---- announces ---------------------------------------------------------------------------

    /**
     * Asks the peer for the broadcasts under {@code prefix}. Relay sessions publish each into the origin;
     * a client may pass a listener to hear of them too. Must run on the event loop.
     */
    void requestAnnounces(String prefix, Consumer<Announce> listener) {
        SessionConfig config = session.config();
        LiteVersion version = session.version();
        session.connection().openBidi().addListener(f -> {
            if (!f.isSuccess()) {
                return;
            }
            BidiStream s = (BidiStream) f.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.ANNOUNCE.write(out);
            // gomoqt accepts only a slashed prefix ("/" for all); every other peer normalizes it.
            new AnnouncePlease(PathNormalizer.slashedPrefix(prefix), version.hasExcludeHop() ? config.originId() : 0)
                    .encode(out, version);
            s.write(out);
            s.flush();
            boolean[] initDone = {!version.hasAnnounceInit()};
            // Draft 05: ANNOUNCE_OK comes first; its hop id (the responder) is appended to every chain.
            long[] responder = {version.hasAnnounceOk() ? -1 : 0};
            new MessageStream(s, config.maxMessageSize(), LiteErrorCode.PROTOCOL_VIOLATION, session.stats(), in -> {
                while (true) {
                    if (responder[0] < 0) {
                        AnnounceOk ok = AnnounceOk.DECODER.tryDecode(in, version, config.maxMessageSize());
                        if (ok == null) {
                            return;
                        }
                        responder[0] = ok.origin();
                        continue;
                    }
                    if (!initDone[0]) {
                        AnnounceInit init = AnnounceInit.DECODER.tryDecode(in, version, config.maxMessageSize());
                        if (init == null) {
                            return;
                        }
                        initDone[0] = true;
                        for (String suffix : init.suffixes()) {
                            peerAnnounced(prefix, new Announce(true, suffix, List.of()), listener);
                        }
                        continue;
                    }
                    Announce a = Announce.DECODER.tryDecode(in, version, config.maxMessageSize());
                    if (a == null) {
                        return;
                    }
                    if (responder[0] > 0 && a.active()) {
                        List<Long> hops = new ArrayList<>(a.hops().size() + 1);
                        hops.addAll(a.hops());
                        hops.add(responder[0]);
                        a = new Announce(true, a.suffix(), hops);
                    }
                    peerAnnounced(prefix, a, listener);
                }
            }, new MessageStream.Events() {
                @Override
                public void onEnd() {
                    s.finish();
                }

                @Override
                public void onReset(long code) {
                }

                @Override
                public void onError(ProtocolException e) {
                    session.protocolError("announce", e);
                    s.stopSending(e.code());
                    s.reset(e.code());
                }
            }).attach();
        });
    }

    private void peerAnnounced(String prefix, Announce a, Consumer<Announce> listener) {
        if (listener != null) {
            listener.accept(a);
        }
        SessionConfig config = session.config();
        if (!config.relay()) {
            return;
        }
        String rel = Paths.join(PathNormalizer.normalize(prefix), PathNormalizer.normalize(a.suffix()));
        if (!a.active()) {
            Broadcast b = peerBroadcasts.remove(rel);
            if (b != null) {
                trackInfos.forget(rel);
                b.close();
            }
            return;
        }
        if (peerBroadcasts.containsKey(rel)) {
            return;
        }
        if (a.hops().contains(config.originId())) {
            // Our own announcement reflected back through the peer: never loop it.
            return;
        }
        SessionStats stats = session.stats();
        String remote = String.valueOf(session.connection().remoteAddress());
        String full = Paths.join(session.root(), rel);
        if (session.paths().refused(full, "announce") != null) {
            return; // this announcement only: the announce stream goes on
        }
        if (config.maxAnnouncements() > 0 && peerBroadcasts.size() >= config.maxAnnouncements()) {
            stats.limitAnnouncements.increment();
            if (!announceLimitLogged) {
                announceLimitLogged = true;
                LiteSession.LOG.log(System.Logger.Level.INFO, "event=limit_exceeded limit=announcements_per_session max="
                        + config.maxAnnouncements() + " remote=" + remote);
            }
            return;
        }
        if (!session.grant().mayPublish(full)) {
            stats.unauthorized.increment();
            LiteSession.LOG.log(System.Logger.Level.INFO, "event=announce_refused reason=unauthorized broadcast=" + full
                    + " remote=" + remote);
            return;
        }
        Broadcast b = new Broadcast(full, config.cache(), peerSource, session.loop(), config.trackLinger().toMillis(),
                a.hops());
        b.setSourceContext(rel);
        peerBroadcasts.put(rel, b);
        stats.broadcastsAnnounced.increment();
        publish.announce(b);
    }

    // ---- subscriptions -----------------------------------------------------------------------

    /**
     * Subscribes to {@code into}'s track of the peer's broadcast at {@code path} (relative to the root)
     * and fills it. Must run on the event loop.
     */
    void subscribeRemote(String path, Track into) {
        if (session.isClosed()) {
            into.abort(LiteErrorCode.CLOSED);
            return;
        }
        long id = nextSubscribeId++;
        RemoteTrack rt = new RemoteTrack(into);
        remoteTracks.put(id, rt);
        if (session.version().hasTrackStream() && session.config().relay()) {
            // Fetched with the subscription, so a downstream TRACK is answered without a round trip.
            trackInfos.get(path, into.name());
        }
        Future<BidiStream> opening = session.connection().openBidi();
        rt.opening = opening;
        opening.addListener(f -> {
            if (f.isCancelled()) {
                return; // withdrawn while waiting for stream credit: nothing was sent
            }
            if (remoteTracks.get(id) != rt) {
                // The last requester left while the stream was opening: never send the SUBSCRIBE.
                if (f.isSuccess()) {
                    ((BidiStream) f.getNow()).reset(LiteErrorCode.CANCEL);
                }
                return;
            }
            if (!f.isSuccess() || session.isClosed()) {
                remoteTracks.remove(id);
                into.abort(LiteErrorCode.CLOSED);
                return;
            }
            LiteVersion version = session.version();
            int maxMessageSize = session.config().maxMessageSize();
            BidiStream s = (BidiStream) f.getNow();
            rt.stream = s;
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.SUBSCRIBE.write(out);
            // gomoqt looks broadcasts up by their slashed path; every other peer normalizes it. Priority and
            // order: those of the subscriber that made the track (Track.requested), shared by later ones.
            dev.jmoq.core.model.Delivery d = into.requested();
            new Subscribe(id, PathNormalizer.slashedPath(path), into.name(), d.litePriority(),
                    d.order() == dev.jmoq.core.model.GroupOrder.ASCENDING, 0, java.util.OptionalLong.empty(),
                    java.util.OptionalLong.empty()).encode(out, version);
            s.write(out);
            s.flush();
            new MessageStream(s, maxMessageSize, LiteErrorCode.PROTOCOL_VIOLATION, session.stats(), in -> {
                while (SubscribeResponse.DECODER.tryDecode(in, version, maxMessageSize) != null) {
                    // SUBSCRIBE_OK (and on later drafts START/END/DROP) carry nothing we act on yet
                }
            }, new MessageStream.Events() {
                @Override
                public void onEnd() {
                    remoteTracks.remove(id);
                    into.close();
                    s.finish();
                }

                @Override
                public void onReset(long code) {
                    remoteTracks.remove(id);
                    // -1: the connection went away without a code of its own.
                    into.abort(code < 0 ? LiteErrorCode.CLOSED : code);
                }

                @Override
                public void onError(ProtocolException e) {
                    session.protocolError("subscribe", e);
                    remoteTracks.remove(id);
                    into.abort(e.code());
                    s.reset(e.code());
                }
            }).attach();
        });
    }

    private void unsubscribeRemote(Track track) {
        for (var it = remoteTracks.values().iterator(); it.hasNext(); ) {
            RemoteTrack rt = it.next();
            if (rt.track == track) {
                it.remove();
                if (rt.stream != null) {
                    rt.stream.finish();
                } else {
                    // Still waiting for stream credit: withdraw the request so it is never sent.
                    rt.opening.cancel(false);
                }
            }
        }
    }

    /** The session closed: end the broadcasts learned from the peer and our subscriptions to it. */
    void closeAll() {
        for (Broadcast b : peerBroadcasts.values()) {
            b.close(LiteErrorCode.CLOSED);
        }
        peerBroadcasts.clear();
        for (RemoteTrack rt : remoteTracks.values()) {
            if (rt.stream == null && rt.opening != null) {
                rt.opening.cancel(false);
            }
            rt.track.abort(LiteErrorCode.CLOSED);
        }
        remoteTracks.clear();
    }

    /** One of our subscriptions to the peer. */
    private static final class RemoteTrack {
        final Track track;
        /** The stream being opened; cancelled if the track is let go before it opens. */
        Future<BidiStream> opening;
        BidiStream stream;

        RemoteTrack(Track track) {
            this.track = track;
        }
    }

    /**
     * The TRACK_INFO of a track of the peer's broadcast {@code rel} (relative to the root), or null when
     * this session's draft has no TRACK stream. Any thread; the future completes on this session's loop.
     */
    CompletableFuture<TrackInfo> trackInfo(String rel, String track) {
        if (!session.version().hasTrackStream()) {
            return null;
        }
        EventLoop loop = session.loop();
        if (loop.inEventLoop()) {
            return trackInfos.get(rel, track);
        }
        CompletableFuture<TrackInfo> f = new CompletableFuture<>();
        loop.execute(() -> trackInfos.get(rel, track).whenComplete((info, err) -> {
            if (err != null) {
                f.completeExceptionally(err);
            } else {
                f.complete(info);
            }
        }));
        return f;
    }

    /** Fills the tracks of the peer's broadcasts on demand. */
    private final class PeerSource implements TrackSource, FrameTimestamps.Source {
        @Override
        public CompletableFuture<TrackInfo> trackInfo(Broadcast broadcast, String track) {
            return LiteSubscriber.this.trackInfo((String) broadcast.sourceContext(), track);
        }

        @Override
        public void onTrackRequested(Track track) {
            String rel = (String) track.broadcast().sourceContext();
            EventLoop loop = session.loop();
            if (loop.inEventLoop()) {
                subscribeRemote(rel, track);
            } else {
                loop.execute(() -> subscribeRemote(rel, track));
            }
        }

        @Override
        public void onTrackUnused(Track track) {
            EventLoop loop = session.loop();
            if (loop.inEventLoop()) {
                unsubscribeRemote(track);
            } else {
                loop.execute(() -> unsubscribeRemote(track));
            }
        }
    }
}
