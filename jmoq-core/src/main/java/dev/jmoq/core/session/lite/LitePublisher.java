package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.AnnounceListener;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Delivery;
import dev.jmoq.core.model.GroupOrder;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.PathNormalizer;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.FetchServe;
import dev.jmoq.core.session.GroupEgress;
import dev.jmoq.core.session.MessageStream;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.core.session.StreamRanking;
import dev.jmoq.core.session.TokenBucket;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.Announce;
import dev.jmoq.wire.lite.AnnounceInit;
import dev.jmoq.wire.lite.AnnounceOk;
import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.Fetch;
import dev.jmoq.wire.lite.HopEncoding;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.Subscribe;
import dev.jmoq.wire.lite.SubscribeOk;
import dev.jmoq.wire.lite.SubscribeOkLayout;
import dev.jmoq.wire.lite.SubscribeUpdate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The publisher side of a moq-lite session: serves the {@code serve} origin to the peer. Answers
 * ANNOUNCE_PLEASE with the broadcasts under the prefix (ANNOUNCE_INIT first on drafts 01/02; on draft 05
 * ANNOUNCE_OK with our origin and the count of active broadcasts that follow; then ANNOUNCE as they come
 * and go, with this endpoint's origin on the hop chain on drafts 03/04, without it on 05) and SUBSCRIBE
 * with a {@link GroupEgress} that sends the track's groups: after SUBSCRIBE_OK up to draft 04, with
 * SUBSCRIBE_START (first group sent) and SUBSCRIBE_END (exclusive end) on draft 05. The peer's grant
 * and the session's subscribe rate are enforced here; a refusal resets that stream only.
 *
 * <p>Threading: the session's event loop; origin listeners hop onto it.
 */
final class LitePublisher {
    private final LiteSession session;
    private final Origin serve;
    private final EgressStats egressStats;
    private final LiteSubscriber subscriber;
    private final TokenBucket subscribeRate;
    private final List<Origin.Registration> registrations = new ArrayList<>();
    private final Set<GroupEgress> egresses = new HashSet<>();
    /** The urgencies of this session's subscriptions and fetch answers (this loop only). */
    private final StreamRanking ranking = new StreamRanking();
    private final LiteTrackServer trackServer;
    private boolean subscribeLimitLogged;

    LitePublisher(LiteSession session, Origin serve, EgressStats egressStats, LiteSubscriber subscriber) {
        this.session = session;
        this.serve = serve;
        this.egressStats = egressStats;
        this.subscriber = subscriber;
        this.trackServer = new LiteTrackServer(session, serve, subscriber);
        this.subscribeRate = new TokenBucket(session.config().subscribesPerSecond(), session.config().cache().clock());
    }

    // ---- announces ---------------------------------------------------------------------------

    void serveAnnounces(BidiStream stream, AnnouncePlease please, MessageStream reader) {
        LiteVersion version = session.version();
        String full = Paths.join(session.root(), PathNormalizer.normalize(please.prefix()));
        Paths.Problem bad = session.paths().refused(full, "announce_please");
        if (bad != null) {
            refuse(stream, reader, pathCode(bad));
            return;
        }
        long exclude = please.excludeHop();
        Set<String> active = new HashSet<>();
        if (version.hasAnnounceOk()) {
            // Draft 05: ANNOUNCE_OK {our origin, N}, then exactly N actives for the initial set.
            List<Broadcast> initial = new ArrayList<>();
            for (Broadcast b : serve.list(full)) {
                if (announceable(b, exclude) && active.add(Paths.suffix(b.path(), full))) {
                    initial.add(b);
                }
            }
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            new AnnounceOk(session.config().originId(), initial.size()).encode(out, version);
            stream.write(out);
            for (Broadcast b : initial) {
                writeAnnounce(stream, true, Paths.suffix(b.path(), full), b.hops());
            }
            stream.flush();
        } else if (version.hasAnnounceInit()) {
            List<String> initial = new ArrayList<>();
            for (Broadcast b : serve.list(full)) {
                if (announceable(b, exclude)) {
                    String suffix = Paths.suffix(b.path(), full);
                    initial.add(suffix);
                    active.add(suffix);
                }
            }
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            new AnnounceInit(initial).encode(out, version);
            stream.write(out);
            stream.flush();
        }
        AnnounceListener listener = new AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {
                session.loop().execute(() -> {
                    if (session.isClosed() || stream.isClosed()) {
                        return;
                    }
                    String suffix = Paths.suffix(b.path(), full);
                    if (!announceable(b, exclude)) {
                        // The path's active route now comes through this peer (or is not for it): what we
                        // announced before is no longer ours to offer, or the two of us would keep each
                        // other's stale routes alive after the real one is gone.
                        if (active.remove(suffix)) {
                            writeAnnounce(stream, false, suffix, List.of());
                        }
                        return;
                    }
                    if (active.add(suffix)) {
                        writeAnnounce(stream, true, suffix, b.hops());
                    }
                });
            }

            @Override
            public void onWithdraw(String path) {
                session.loop().execute(() -> {
                    if (session.isClosed() || stream.isClosed()) {
                        return;
                    }
                    String suffix = Paths.suffix(path, full);
                    if (active.remove(suffix)) {
                        writeAnnounce(stream, false, suffix, List.of());
                    }
                });
            }
        };
        Origin.Registration reg = serve.listen(full, listener);
        registrations.add(reg);
        Runnable stop = () -> {
            reg.close();
            registrations.remove(reg);
        };
        stream.onClosed(code -> stop.run());
        reader.events(new MessageStream.Events() {
            @Override
            public void onEnd() {
                stop.run();
                stream.finish();
            }

            @Override
            public void onReset(long code) {
                stop.run();
                stream.reset(LiteErrorCode.CANCEL);
            }

            @Override
            public void onError(ProtocolException e) {
                session.protocolError("announce", e);
                stop.run();
                stream.stopSending(e.code());
                stream.reset(e.code());
            }
        });
    }

    private void writeAnnounce(BidiStream stream, boolean active, String suffix, List<Long> hops) {
        LiteVersion version = session.version();
        List<Long> outHops = List.of();
        if (active && version.hasAnnounceOk()) {
            // Draft 05: the chain excludes the responder (it is in ANNOUNCE_OK); the model's chain ends at
            // the peer we learned the broadcast from, which is what the draft asks for.
            outHops = hops;
        } else if (active && version.hopEncoding() != HopEncoding.NONE) {
            // Drafts 03/04 stamp the announcer's own origin onto the hop chain.
            List<Long> h = new ArrayList<>(hops.size() + 1);
            h.addAll(hops);
            h.add(session.config().originId());
            outHops = h;
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        new Announce(active, suffix, outHops).encode(out, version);
        stream.write(out);
        stream.flush();
    }

    /** Whether {@code b} may be announced to this peer: not the peer's own, not already through its origin. */
    private boolean announceable(Broadcast b, long excludeHop) {
        if (subscriber.isFromPeer(b) || !session.grant().maySubscribe(b.path())) {
            return false;
        }
        long peerOrigin = session.setupStream().peerOrigin(); // draft 05 SETUP Origin, else 0
        if (peerOrigin != 0 && b.hops().contains(peerOrigin)) {
            return false;
        }
        return excludeHop == 0 || (!b.hops().contains(excludeHop) && excludeHop != session.config().originId());
    }

    // ---- subscriptions -----------------------------------------------------------------------

    void serveSubscribe(BidiStream stream, Subscribe sub, MessageStream reader) {
        SessionStats stats = session.stats();
        SessionConfig config = session.config();
        LiteVersion version = session.version();
        String remote = String.valueOf(session.connection().remoteAddress());
        if (!subscribeRate.take()) {
            stats.limitSubscribeRate.increment();
            if (!subscribeLimitLogged) {
                subscribeLimitLogged = true;
                LiteSession.LOG.log(System.Logger.Level.INFO, "event=limit_exceeded limit=subscribes_per_second max="
                        + config.subscribesPerSecond() + " remote=" + remote);
            }
            refuse(stream, reader, LiteErrorCode.BOUNDS_EXCEEDED);
            return;
        }
        String path = Paths.join(session.root(), PathNormalizer.normalize(sub.broadcast()));
        Paths.Problem bad = session.paths().refused(path, "subscribe");
        if (bad != null) {
            refuse(stream, reader, pathCode(bad));
            return;
        }
        if (!session.grant().maySubscribe(path)) {
            stats.unauthorized.increment();
            LiteSession.LOG.log(System.Logger.Level.INFO, "event=subscribe_refused reason=unauthorized broadcast=" + path
                    + " remote=" + remote);
            refuse(stream, reader, LiteErrorCode.UNAUTHORIZED);
            return;
        }
        Broadcast b = serve.get(path);
        // The first subscriber's priority and order go upstream when the track is made now (Track.requested).
        Track track = b == null || subscriber.isFromPeer(b) ? null
                : b.requestTrack(sub.track(), Delivery.ofLite(sub.priority(), sub.ordered()));
        if (track == null) {
            stats.subscribesNotFound.increment();
            LiteSession.LOG.log(System.Logger.Level.INFO,
                    () -> "event=subscribe_not_found broadcast=" + path + " track=" + sub.track());
            refuse(stream, reader, LiteErrorCode.NOT_FOUND);
            return;
        }
        if (version.subscribeOkLayout() != SubscribeOkLayout.ABSENT) {
            ByteBuf ok = ByteBufAllocator.DEFAULT.buffer();
            new SubscribeOk(sub.priority(), sub.ordered(), sub.maxLatencyMillis(), sub.startGroup(), sub.endGroup())
                    .encode(ok, version);
            stream.write(ok);
            stream.flush();
        }
        stats.subscribesServed.increment();
        // Draft 05: SUBSCRIBE_START with the first group taken, SUBSCRIBE_END past the highest one sent.
        LiteSubscribeRange range = version.subscribeOkLayout() == SubscribeOkLayout.ABSENT
                ? new LiteSubscribeRange(stream, version, session.loop()) : null;
        GroupEgress[] holder = new GroupEgress[1];
        // The subscription starts and ends where SUBSCRIBE asks (absent: the newest group, no end); cached
        // groups in range are sent from the cache, and the egress ends after the end group.
        GroupEgress egress = new GroupEgress(session.connection(), track,
                sub.startGroup().orElse(TrackCursor.LATEST), sub.endGroup().orElse(TrackCursor.NO_END), sub.id(),
                session.framing(), config.groupsInFlight(), LiteErrorCode.LAGGED, egressStats, code -> {
                    egresses.remove(holder[0]);
                    reader.finish();
                    if (code < 0 && range != null) {
                        range.end();
                    } else if (code < 0) {
                        stream.finish();
                    } else {
                        stream.reset(code);
                    }
                });
        holder[0] = egress;
        // Ranked among this session's subscriptions by its priority (moq-lite: higher first), groups in
        // its order (ordered: oldest first; drafts 01/02 have no field: newest first).
        egress.priority(ranking, 255 - sub.priority(), GroupOrder.ofLite(sub.ordered()));
        if (range != null) {
            egress.onGroup(range::groupTaken);
        }
        egresses.add(egress);
        // SUBSCRIBE_UPDATE re-ranks the subscription's streams by its new priority (draft-lcurley-moq-lite,
        // "Prioritization": the subscriber priority may change over the subscription's life). Its other
        // fields (ordered, latency, range) are not applied.
        reader.parser(rest -> {
            SubscribeUpdate u;
            while ((u = SubscribeUpdate.DECODER.tryDecode(rest, version, config.maxMessageSize())) != null) {
                stats.subscribeUpdates.increment();
                egress.subscriberPriority(255 - u.priority());
            }
        });
        // The peer ending its side (FIN or reset) ends the subscription.
        reader.events(new MessageStream.Events() {
            @Override
            public void onEnd() {
                egress.cancel(LiteErrorCode.CANCEL);
                egresses.remove(egress);
                stream.finish();
            }

            @Override
            public void onReset(long code) {
                egress.cancel(LiteErrorCode.CANCEL);
                egresses.remove(egress);
                stream.reset(LiteErrorCode.CANCEL);
            }

            @Override
            public void onError(ProtocolException e) {
                session.protocolError("subscribe", e);
                egress.cancel(e.code());
                egresses.remove(egress);
                stream.reset(e.code());
            }
        });
        stream.onClosed(code -> {
            egress.cancel(LiteErrorCode.CANCEL);
            egresses.remove(egress);
        });
        egress.start();
    }

    /** Draft 05: answers a TRACK with the track's TRACK_INFO ({@link LiteTrackServer}). */
    void serveTrack(BidiStream stream, dev.jmoq.wire.lite.Track request, MessageStream reader) {
        trackServer.serve(stream, request, reader);
    }

    /**
     * Draft 03+: answers a FETCH with one cached group ({@link FetchServe}, framed as this draft's group
     * stream frames), ranked among the session's streams by the FETCH priority ({@link StreamRanking}). A group the cache does
     * not hold, or a broadcast that is not served here, is refused with NOT_FOUND; the upstream is never
     * asked. The peer resetting its side cancels the answer.
     */
    void serveFetch(BidiStream stream, Fetch fetch, MessageStream reader) {
        reader.parser(rest -> rest.skipBytes(rest.readableBytes()));
        String path = Paths.join(session.root(), PathNormalizer.normalize(fetch.broadcast()));
        if (!session.grant().maySubscribe(path)) {
            session.stats().unauthorized.increment();
            refuse(stream, reader, LiteErrorCode.UNAUTHORIZED);
            return;
        }
        Broadcast b = serve.get(path);
        Track track = b == null || subscriber.isFromPeer(b) ? null : b.track(fetch.track());
        FetchServe f = track == null ? null
                : new FetchServe(session.loop(), stream, track, fetch.group(), session.framing(), egressStats);
        if (f != null) {
            f.priority(ranking, 255 - fetch.priority());
        }
        if (f == null || !f.start()) {
            if (f == null) {
                egressStats.fetchesNotFound.increment();
            }
            LiteSession.LOG.log(System.Logger.Level.DEBUG, () -> "event=fetch_not_found broadcast=" + path
                    + " track=" + fetch.track() + " group=" + fetch.group());
            refuse(stream, reader, LiteErrorCode.NOT_FOUND);
            return;
        }
        reader.events(new MessageStream.Events() {
            @Override
            public void onEnd() {
                // The request side finished: the answer goes on.
            }

            @Override
            public void onReset(long code) {
                f.cancel(LiteErrorCode.CANCEL);
            }

            @Override
            public void onError(ProtocolException e) {
                f.cancel(e.code());
            }
        });
    }

    private static void refuse(BidiStream stream, MessageStream reader, long code) {
        reader.finish();
        stream.stopSending(code);
        stream.reset(code);
    }

    /** The session closed: stop listening to the origin and end every subscription we serve. */
    void closeAll() {
        for (Origin.Registration r : registrations) {
            r.close();
        }
        registrations.clear();
        for (GroupEgress e : new ArrayList<>(egresses)) {
            e.cancel(LiteErrorCode.CLOSED);
        }
        egresses.clear();
    }

    /** A refused path's code: BOUNDS_EXCEEDED when too long, else PROTOCOL_VIOLATION. */
    private static long pathCode(Paths.Problem problem) {
        return problem == Paths.Problem.TOO_LONG ? LiteErrorCode.BOUNDS_EXCEEDED : LiteErrorCode.PROTOCOL_VIOLATION;
    }
}
