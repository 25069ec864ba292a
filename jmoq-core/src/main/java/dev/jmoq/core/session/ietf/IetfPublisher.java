package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Delivery;
import dev.jmoq.core.model.GroupOrder;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
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
import dev.jmoq.wire.ietf.RequestError;
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
 * <p>Filters (5.1.2): every filter of drafts 14-20 ({@link Range}), resolved against the largest group
 * this endpoint has when it processes the SUBSCRIBE (a track with no content yet starts with its first
 * group); SUBSCRIBE_UPDATE / REQUEST_UPDATE set FORWARD and narrow the groups still to be sent
 * ({@link #update}). A SUBSCRIBE with FORWARD 0 lets groups go unsent until an update sets it to 1.
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
        return resolve(ns, name, ex, kind, true, Delivery.DEFAULT);
    }

    private Track resolve(TrackNamespace ns, Octets name, Exchange ex, RequestKind kind, boolean request) {
        return resolve(ns, name, ex, kind, request, Delivery.DEFAULT);
    }

    /** As above; a track made now for its source carries {@code delivery} upstream ({@link Track#requested()}). */
    private Track resolve(TrackNamespace ns, Octets name, Exchange ex, RequestKind kind, boolean request,
            Delivery delivery) {
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
                : request ? b.requestTrack(name.utf8(), delivery) : b.track(name.utf8());
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
        long rendezvous = v().hasRendezvousTimeout()
                ? sub.parameters().number(MessageParameter.RENDEZVOUS_TIMEOUT).orElse(0L) : 0;
        String path = Paths.join(session.root(), Namespaces.toPath(sub.namespace()));
        if (rendezvous > 0 && Namespaces.isPathLike(sub.namespace()) && session.grant().maySubscribe(path)
                && !published(serve.get(path))) {
            // Nobody publishes it yet: wait for a publisher as long as the subscriber will (17+).
            stats.subscribesHeld.increment();
            Rendezvous.hold(session, serve, path, rendezvous, ex, this::published, () -> subscribe(sub, ex),
                    () -> {
                        stats.subscribesNotFound.increment();
                        control.refuse(ex, RequestKind.SUBSCRIBE, RequestErrorCode.TIMEOUT, "no publisher in time");
                    });
            return;
        }
        subscribe(sub, ex);
    }

    /** A broadcast this peer may be served from (not one it published itself). */
    private boolean published(Broadcast b) {
        return b != null && !b.isClosed() && !subscriber.isFromPeer(b);
    }

    private void subscribe(Subscribe sub, Exchange ex) {
        SessionStats stats = session.stats();
        Delivery delivery = IetfPriorities.delivery(sub.parameters());
        if (delivery == null) {
            session.violation("control", "subscriber priority or group order out of range");
            return;
        }
        Track track = resolve(sub.namespace(), sub.trackName(), ex, RequestKind.SUBSCRIBE, true, delivery);
        if (track == null) {
            return;
        }
        // Where delivery starts and ends is fixed now, when the SUBSCRIBE is processed (5.1.2): the
        // Largest Object is the one this endpoint has at this moment, however many groups arrive before
        // the answer (a relayed track is answered once its source answered; a local one's egress reads
        // its first group at its first drain).
        Group largest = track.latest();
        Range range = Range.of(sub.filter(), largest);
        if (range == null) {
            session.violation("control", "subscription filter ends before it starts");
            return;
        }
        boolean forward = sub.parameters().number(MessageParameter.FORWARD).orElse(1) != 0;
        if (track.broadcast() == null || track.broadcast().source() == null) {
            accept(track, ex, largest, range, forward, delivery);
            return;
        }
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
                accept(track, ex, largest, range, forward, delivery);
            }
        });
    }

    /**
     * The groups a subscription filter passes (draft-ietf-moq-transport-14 ... 20, 5.1.2 "Subscription
     * Filters"), against {@code largest}, the newest group this endpoint had when it processed the
     * SUBSCRIBE (null: no content yet). Groups are sent whole: a start or end object inside a group is
     * rounded out to that group. Largest Object (and no filter) starts at the largest group, Next Group
     * Start after it, both at group 0 when there is no content yet (the first group that arrives); draft
     * 20's relative start N groups before the next group; absolute starts and ranges as given (groups the
     * cache still holds below the largest are sent from the cache).
     *
     * @param start first group sequence (absolute)
     * @param end   last group sequence, inclusive, or {@link TrackCursor#NO_END}
     */
    record Range(long start, long end) {
        /** The range of {@code f}, or null when it ends before it starts. */
        static Range of(SubscriptionFilter f, Group largest) {
            long next = largest == null ? 0 : largest.sequence() + 1;
            // Group ids are unsigned 64-bit on the wire: one above Long.MAX_VALUE is never reached.
            long start = f.startGroup() < 0 ? Long.MAX_VALUE : f.startGroup();
            long end = f.endGroup() < 0 ? TrackCursor.NO_END : f.endGroup();
            Range r = switch (f.kind()) {
                case NONE, LARGEST_OBJECT -> new Range(largest == null ? 0 : largest.sequence(), TrackCursor.NO_END);
                case NEXT_GROUP_START -> new Range(next, TrackCursor.NO_END);
                case RELATIVE -> new Range(f.startGroup() < 0 || f.startGroup() > next ? 0 : next - f.startGroup(),
                        TrackCursor.NO_END);
                case ABSOLUTE_START -> new Range(start, TrackCursor.NO_END);
                case ABSOLUTE_RANGE, ABSOLUTE_OBJECT_RANGE -> new Range(start, end);
            };
            return r.end < r.start ? null : r;
        }
    }

    /**
     * SUBSCRIBE_OK (LARGEST_OBJECT: {@code largest}'s last object; left out, Content Exists 0 on draft 14,
     * when there was no content; the group order per draft, {@link IetfPriorities}), then the groups of
     * {@code range} as subgroup streams ranked by {@code delivery} among the session's subscriptions, then
     * PUBLISH_DONE.
     */
    private void accept(Track track, Exchange ex, Group largest, Range range, boolean forward, Delivery delivery) {
        SessionStats stats = session.stats();
        IetfVersion v = v();
        long alias = newAlias();
        GroupOrder order = delivery.order().or(IetfPriorities.PUBLISHER_ORDER);
        Parameters ps = Parameters.EMPTY;
        if (v.hasInlineSubscriptionFields()) {
            ps = ps.with(new Parameter.Int(MessageParameter.EXPIRES, 0));
        }
        ps = IetfPriorities.subscribeOk(v, ps, order);
        ex.send(new SubscribeOk(ex.requestId, alias, largest(largest, ps), IetfPriorities.trackProperties(v)));
        stats.subscribesServed.increment();
        long requestId = ex.requestId;
        // Where a joining FETCH for this subscription ends: the group the egress starts at.
        served.put(requestId, new IetfFetch.Joined(track, range.start()));
        IetfFraming framing = new IetfFraming(v);
        long lagged = IetfErrors.streamCode(SessionError.LAGGING, v);
        GroupEgress[] holder = new GroupEgress[1];
        long[] end = {range.end()}; // lowered by updates
        GroupEgress egress = new GroupEgress(session.connection(), track, range.start(), range.end(), alias, framing,
                session.config().groupsInFlight(), lagged, egressStats, code -> {
                    egresses.remove(holder[0]);
                    // A clean end is the filter's end group when the track still runs, else the track's end.
                    boolean filterEnd = code < 0 && end[0] != TrackCursor.NO_END && !track.isClosed();
                    PublishDoneCode status = filterEnd ? PublishDoneCode.SUBSCRIPTION_ENDED
                            : code < 0 ? PublishDoneCode.TRACK_ENDED : PublishDoneCode.INTERNAL_ERROR;
                    ex.send(new PublishDone(ex.requestId, status.code(v), framing.streams(),
                            filterEnd ? "end group reached" : code < 0 ? "track ended" : "publisher went away"));
                    ex.end(null);
                });
        holder[0] = egress;
        egress.priority(session.ranking(), delivery.priority(), order);
        egresses.add(egress);
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
                if (m instanceof RequestUpdate u) {
                    stats.subscribeUpdates.increment();
                    update(u, ex, egress, end, framing);
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
        egress.forward(forward);
        egress.start();
    }

    /**
     * SUBSCRIBE_UPDATE (14-15) / REQUEST_UPDATE (16+) of a subscription we serve (draft-ietf-moq-transport,
     * "Updating Subscriptions"): FORWARD sets the Forward State; an absolute filter narrows the groups
     * still to be sent (a higher start group, a lower end group: {@link GroupEgress#narrow}; groups already
     * on their way are sent whole, a lower start or higher end is not applied: FETCH serves what is
     * older). Answered with REQUEST_OK on 16+. A range ending before its start fails the update:
     * REQUEST_ERROR (16+), then PUBLISH_DONE UPDATE_FAILED. A SUBSCRIBER_PRIORITY re-ranks the
     * subscription's streams at once ({@link GroupEgress#subscriberPriority}); the group order of a
     * subscription cannot change ("Priorities").
     */
    private void update(RequestUpdate u, Exchange ex, GroupEgress egress, long[] end, IetfFraming framing) {
        IetfVersion v = v();
        Parameters ps = u.parameters();
        int priority = IetfPriorities.updatedPriority(ps);
        if (priority == IetfPriorities.OUT_OF_RANGE) {
            session.violation("control", "subscriber priority out of range");
            return;
        }
        ps.number(MessageParameter.FORWARD).ifPresent(f -> egress.forward(f != 0));
        if (priority >= 0) {
            egress.subscriberPriority(priority);
        }
        SubscriptionFilter f = ps.filter().orElse(null);
        boolean narrow = f != null && (v.hasInlineSubscriptionFields() || f.kind() == SubscriptionFilter.Kind.ABSOLUTE_START
                || f.kind() == SubscriptionFilter.Kind.ABSOLUTE_RANGE || f.kind() == SubscriptionFilter.Kind.ABSOLUTE_OBJECT_RANGE);
        // (Filters relative to the largest object have nothing to narrow by.)
        long start = 0;
        long last = TrackCursor.NO_END;
        if (narrow) {
            start = f.startGroup() < 0 ? Long.MAX_VALUE : f.startGroup(); // unsigned ids above Long.MAX_VALUE
            if (v.hasInlineSubscriptionFields()) {
                // Draft 14's inline End Group is the end group plus one, 0 for none.
                last = f.endGroup() == 0 ? TrackCursor.NO_END : f.endGroup() < 0 ? TrackCursor.NO_END : f.endGroup() - 1;
            } else if (f.kind() != SubscriptionFilter.Kind.ABSOLUTE_START) {
                last = f.endGroup() < 0 ? TrackCursor.NO_END : f.endGroup();
            }
        }
        if (narrow && last < start) {
            if (v.hasRequestUpdateAnswer()) {
                ex.send(new RequestError(RequestKind.ANY, u.requestId(),
                        IetfErrors.requestCode(RequestErrorCode.INVALID_RANGE, v), "end group before start"));
            }
            egress.cancel(StreamResetCode.CANCELLED.code(v));
            egresses.remove(egress);
            ex.send(new PublishDone(ex.requestId, PublishDoneCode.UPDATE_FAILED.code(v), framing.streams(),
                    "update failed"));
            ex.end(null);
            return;
        }
        if (v.hasRequestUpdateAnswer()) {
            ex.send(new RequestOk(RequestKind.ANY, u.requestId()));
        }
        if (narrow) {
            end[0] = Math.min(end[0], last);
            egress.narrow(start, last);
        }
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
