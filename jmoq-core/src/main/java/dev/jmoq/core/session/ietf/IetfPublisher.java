package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.GroupEgress;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.core.session.TokenBucket;
import dev.jmoq.wire.ietf.Fetch;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Location;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.PublishDone;
import dev.jmoq.wire.ietf.PublishDoneCode;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestKind;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.RequestUpdate;
import dev.jmoq.wire.ietf.StreamResetCode;
import dev.jmoq.wire.ietf.Subscribe;
import dev.jmoq.wire.ietf.SubscribeOk;
import dev.jmoq.wire.ietf.SubscriptionFilter;
import dev.jmoq.wire.ietf.TrackNamespace;
import dev.jmoq.wire.ietf.TrackStatus;
import dev.jmoq.wire.ietf.TrackStatusOk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The publisher side of an IETF session: serves the {@code serve} origin's tracks to the peer. SUBSCRIBE is
 * answered with SUBSCRIBE_OK (a track alias of ours, the largest location cached) and a
 * {@link GroupEgress} sending each group as a subgroup stream, then PUBLISH_DONE when the track ends;
 * an unknown track gets REQUEST_ERROR (SUBSCRIBE_ERROR on 14) DOES_NOT_EXIST; a relayed track is
 * answered once its source accepted or refused it ({@link AnswerGate}). TRACK_STATUS answers from the
 * cache. (Namespaces are {@link IetfNamespaces}'.)
 * The grant and the subscribe rate are enforced here; a refusal ends that request only.
 *
 * <p>Filters: Largest Object and Next Group Start as the drafts define them (5.1.2), from the relay's
 * cache when the SUBSCRIBE is processed (a track with no content yet starts with its first group);
 * MODEL SEAM: absolute starts and ranges start at the newest cached group; SUBSCRIBE_UPDATE /
 * REQUEST_UPDATE are read and counted.
 * FETCH (standalone and joining) is served from the cache by {@link IetfFetch}.
 *
 * <p>Threading: the session's event loop; origin listeners hop onto it.
 */
final class IetfPublisher {
    private final IetfSession session;
    private final Origin serve;
    private final EgressStats egressStats;
    private final IetfSubscriber subscriber;
    private final TokenBucket subscribeRate;
    private final Set<GroupEgress> egresses = new HashSet<>();
    /** The subscriptions we serve, by the peer's Request ID (what a joining FETCH names). */
    private final Map<Long, IetfFetch.Joined> served = new HashMap<>();
    private IetfControl control;
    private IetfFetch fetch;
    private long nextAlias;

    IetfPublisher(IetfSession session, Origin serve, EgressStats egressStats, IetfSubscriber subscriber) {
        this.session = session;
        this.serve = serve;
        this.egressStats = egressStats;
        this.subscriber = subscriber;
        this.subscribeRate = new TokenBucket(session.config().subscribesPerSecond(), session.config().cache().clock());
    }

    void control(IetfControl c) {
        this.control = c;
        this.fetch = new IetfFetch(session, c);
    }

    private IetfVersion v() {
        return session.version();
    }

    /** A Track Alias of ours, for a SUBSCRIBE_OK or a PUBLISH of ours ({@link IetfPushes}). */
    long newAlias() {
        return nextAlias++;
    }

    // ---- subscriptions -----------------------------------------------------------------------

    /**
     * The track named if it may be served to this peer, else null after refusing the request. A
     * subscription requests the track (a relayed one is subscribed upstream); a fetch takes only a track
     * that is there.
     */
    private Track resolve(TrackNamespace ns, Octets name, Exchange ex, RequestKind kind) {
        return resolve(ns, name, ex, kind, true);
    }

    private Track resolve(TrackNamespace ns, Octets name, Exchange ex, RequestKind kind, boolean request) {
        SessionStats stats = session.stats();
        String path = Paths.join(session.root(), Namespaces.toPath(ns));
        if (!Namespaces.isPathLike(ns) || !session.grant().maySubscribe(path)) {
            stats.unauthorized.increment();
            IetfSession.LOG.log(System.Logger.Level.INFO, "event=subscribe_refused reason=unauthorized broadcast=" + path
                    + " remote=" + session.connection().remoteAddress());
            control.refuse(ex, kind, RequestErrorCode.UNAUTHORIZED, "not allowed");
            return null;
        }
        Broadcast b = serve.get(path);
        Track track = b == null || subscriber.isFromPeer(b) ? null
                : request ? b.requestTrack(name.utf8()) : b.track(name.utf8());
        if (track == null) {
            stats.subscribesNotFound.increment();
            IetfSession.LOG.log(System.Logger.Level.INFO,
                    () -> "event=subscribe_not_found broadcast=" + path + " track=" + name.utf8());
            control.refuse(ex, kind, RequestErrorCode.DOES_NOT_EXIST, "track does not exist");
        }
        return track;
    }

    /**
     * LARGEST_OBJECT of {@code g} (the largest group cached; null: no content, the parameter is left out).
     * Not sent on drafts 17-19, whose Location parameter has no length: {@code @moq/net} 0.3.4 reads a
     * length there and fails on the draft's form (docs/wire-ietf.md, "Where @moq/net 0.3.4 and the drafts
     * disagree"); a subscriber learns the largest location from the objects themselves.
     */
    private Parameters largest(Group g, Parameters ps) {
        if (g == null || !v().hasLengthPrefixedLocationParameter()) {
            return ps;
        }
        return ps.with(new Parameter.At(MessageParameter.LARGEST_OBJECT,
                new Location(g.sequence(), Math.max(0, g.frameCount() - 1))));
    }

    void serveSubscribe(Subscribe sub, Exchange ex) {
        SessionStats stats = session.stats();
        if (!subscribeRate.take()) {
            stats.limitSubscribeRate.increment();
            control.refuse(ex, RequestKind.SUBSCRIBE, RequestErrorCode.EXCESSIVE_LOAD, "subscribe rate exceeded");
            return;
        }
        Track track = resolve(sub.namespace(), sub.trackName(), ex, RequestKind.SUBSCRIBE);
        if (track == null) {
            return;
        }
        SubscriptionFilter filter = sub.filter();
        if (track.broadcast() == null || track.broadcast().source() == null) {
            accept(track, ex, filter, -1);
            return;
        }
        // The Largest Object is the relay's when it processes the SUBSCRIBE (5.1.2): nothing cached yet
        // means the subscription starts at {0, 0}, i.e. with the first group the source sends from now on,
        // however many arrive before the source's answer lets us answer.
        long freshFrom = track.latest() == null ? track.arrivals() : -1;
        // A relayed track: answer once its source has accepted it (a group) or refused it (an abort).
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
            }

            @Override
            public void onEnd(long code) {
                ex.end(null); // unsubscribed before the answer: the gate's answer finds it ended
            }
        });
        AnswerGate.await(session.loop(), track, code -> {
            if (session.isClosed() || ex.ended) {
                return;
            }
            if (code >= 0) {
                stats.subscribesNotFound.increment();
                control.refuse(ex, RequestKind.SUBSCRIBE, RequestErrorCode.DOES_NOT_EXIST, "not available upstream");
            } else {
                accept(track, ex, filter, freshFrom);
            }
        });
    }

    /**
     * SUBSCRIBE_OK, then the track's groups as subgroup streams, then PUBLISH_DONE. Where delivery starts
     * (draft-ietf-moq-transport 5.1.2, "Subscription Filters"; groups are sent whole): with
     * {@code freshFrom} &gt;= 0 the track had no content when the SUBSCRIBE was processed, so SUBSCRIBE_OK
     * carries no LARGEST_OBJECT (Content Exists 0 on draft 14) and every group from arrival
     * {@code freshFrom} on is sent; else LARGEST_OBJECT is the newest cached group's last object and
     * Next Group Start sends the groups after it, every other filter from that group on (MODEL SEAM:
     * absolute starts and ranges are not applied).
     */
    private void accept(Track track, Exchange ex, SubscriptionFilter filter, long freshFrom) {
        SessionStats stats = session.stats();
        IetfVersion v = v();
        long alias = newAlias();
        Parameters ps = Parameters.EMPTY;
        if (v.hasInlineSubscriptionFields()) {
            ps = ps.with(new Parameter.Int(MessageParameter.EXPIRES, 0))
                    .with(new Parameter.Int(MessageParameter.GROUP_ORDER, 1));
        }
        Group newest = freshFrom >= 0 ? null : track.latest();
        ex.send(new SubscribeOk(ex.requestId, alias, largest(newest, ps), Octets.EMPTY));
        stats.subscribesServed.increment();
        long requestId = ex.requestId;
        long arrivals = track.arrivals();
        boolean nextGroup = newest != null && filter.kind() == SubscriptionFilter.Kind.NEXT_GROUP_START;
        // Where a joining FETCH for this subscription ends: the group the egress starts at.
        long startGroup;
        if (freshFrom >= 0) {
            Group first = track.atArrival(freshFrom);
            startGroup = first != null ? first.sequence() : track.newestSequence() + 1;
        } else if (newest == null || nextGroup) {
            startGroup = newest != null ? newest.sequence() + 1 : track.newestSequence() + 1;
        } else {
            startGroup = newest.sequence();
        }
        served.put(requestId, new IetfFetch.Joined(track, startGroup));
        IetfFraming framing = new IetfFraming(v);
        long lagged = IetfErrors.streamCode(SessionError.LAGGING, v);
        GroupEgress[] holder = new GroupEgress[1];
        GroupEgress egress = new GroupEgress(session.connection(), track, alias, framing,
                session.config().groupsInFlight(), lagged, egressStats, code -> {
                    egresses.remove(holder[0]);
                    PublishDoneCode status = code < 0 ? PublishDoneCode.TRACK_ENDED : PublishDoneCode.INTERNAL_ERROR;
                    ex.send(new PublishDone(ex.requestId, status.code(v), framing.streams(),
                            code < 0 ? "track ended" : "publisher went away"));
                    ex.end(null);
                });
        if (freshFrom >= 0) {
            egress.startFrom(freshFrom, -1);
        } else if (nextGroup) {
            egress.startFrom(arrivals, newest.sequence() + 1);
        }
        holder[0] = egress;
        egresses.add(egress);
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
                if (m instanceof RequestUpdate) {
                    stats.subscribeUpdates.increment();
                }
            }

            @Override
            public void onEnd(long code) {
                egress.cancel(StreamResetCode.CANCELLED.code(v));
                egresses.remove(egress);
                served.remove(requestId);
                if (code < 0) {
                    ex.send(new PublishDone(ex.requestId, PublishDoneCode.SUBSCRIPTION_ENDED.code(v), framing.streams(),
                            "unsubscribed"));
                    ex.end(null);
                } else {
                    ex.reset(StreamResetCode.CANCELLED.code(v));
                }
            }
        });
        egress.start();
    }

    void serveFetch(Fetch f, Exchange ex) {
        if (f.fetchType() == Fetch.STANDALONE) {
            Track track = resolve(f.namespace(), f.trackName(), ex, RequestKind.FETCH, false);
            if (track != null) {
                fetch.serve(f, ex, track, null);
            }
        } else {
            fetch.serve(f, ex, null, served.get(f.joiningRequestId()));
        }
    }

    void serveTrackStatus(TrackStatus ts, Exchange ex) {
        Track track = resolve(ts.namespace(), ts.trackName(), ex, RequestKind.TRACK_STATUS);
        if (track == null) {
            return;
        }
        Parameters ps = largest(track.latest(), Parameters.EMPTY);
        if (v().hasUnifiedResponses()) {
            ex.send(new RequestOk(RequestKind.TRACK_STATUS, ex.requestId, ps, Octets.EMPTY));
        } else {
            ex.send(new TrackStatusOk(ex.requestId, 0, ps.with(new Parameter.Int(MessageParameter.EXPIRES, 0))
                    .with(new Parameter.Int(MessageParameter.GROUP_ORDER, 1)), Octets.EMPTY));
        }
        ex.end(null);
    }

    /** The session closed: end every subscription we serve. */
    void closeAll() {
        for (GroupEgress e : new ArrayList<>(egresses)) {
            e.cancel(StreamResetCode.SESSION_CLOSED.code(v()));
        }
        egresses.clear();
        served.clear();
    }
}
