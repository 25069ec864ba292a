package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSource;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.PublishOk;
import dev.jmoq.wire.ietf.Publish;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.PublishDone;
import dev.jmoq.wire.ietf.PublishNamespace;
import dev.jmoq.wire.ietf.RequestError;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestKind;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.Subscribe;
import dev.jmoq.wire.ietf.SubscribeOk;
import dev.jmoq.wire.ietf.SubscriptionFilter;
import dev.jmoq.wire.ietf.Unsubscribe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The subscriber side of an IETF session: consumes what the peer publishes. The peer's PUBLISH_NAMESPACEs
 * become {@link Broadcast}s in the {@code publish} origin (relay sessions; grant and per-session limit
 * enforced; PUBLISH_NAMESPACE_DONE, or the request stream's end, withdraws them), and are also told to
 * the application's {@link #announced} listeners ({@link NamespaceInterest}, which sends SUBSCRIBE_NAMESPACE).
 * A publisher-initiated PUBLISH puts its track into the origin directly ({@link #onPublish}). A local subscriber's first request for a
 * track of such a broadcast makes this session SUBSCRIBE upstream (this class is the broadcasts'
 * {@link TrackSource}); SUBSCRIBE_OK's track alias routes the subgroup streams ({@link #route}), and
 * PUBLISH_DONE ends the track once its Stream Count of streams arrived.
 *
 * <p>Threading: the session's event loop; track requests from other threads hop onto it.
 */
final class IetfSubscriber {
    private final IetfSession session;
    private final Origin publish;
    private final PeerSource peerSource = new PeerSource();
    private final Map<String, Broadcast> peerBroadcasts = new HashMap<>();
    private final NamespaceInterest interest;
    private final Map<Long, Remote> byAlias = new HashMap<>();
    private final List<Remote> remotes = new ArrayList<>();
    private final HeldStreams held = new HeldStreams();
    private IetfControl control;
    private boolean announceLimitLogged;

    IetfSubscriber(IetfSession session, Origin publish) {
        this.session = session;
        this.publish = publish;
        this.interest = new NamespaceInterest(session);
    }

    void control(IetfControl c) {
        this.control = c;
        interest.control(c);
    }

    /** SUBSCRIBE_NAMESPACE for {@code prefix}; {@code listener} hears (suffix, active). Event loop. */
    void announced(String prefix, BiConsumer<String, Boolean> listener) {
        interest.announced(prefix, listener);
    }

    boolean isFromPeer(Broadcast b) {
        return b.source() == peerSource;
    }

    /** The track an incoming subgroup stream's alias fills, or null (the stream is stopped). */
    Track route(long alias, long group) {
        Remote r = byAlias.get(alias);
        if (r == null) {
            return null;
        }
        r.streams++;
        // Ended after this stream's group exists (the ingest creates it when this returns).
        session.loop().execute(r::maybeDone);
        return r.track;
    }

    /** The track an OBJECT_DATAGRAM's alias fills, or null (the datagram is dropped). Datagrams open no stream. */
    Track datagramTrack(long alias) {
        Remote r = byAlias.get(alias);
        return r == null ? null : r.track;
    }

    /**
     * True when a subgroup stream for {@code alias} should wait: the alias is unknown, but a SUBSCRIBE
     * of ours still awaits its SUBSCRIBE_OK (which may name it), and {@link HeldStreams} has room.
     */
    boolean shouldWait(long alias) {
        return !byAlias.containsKey(alias) && held.hasRoom() && awaitingAnswer();
    }

    private boolean awaitingAnswer() {
        for (Remote r : remotes) {
            if (r.alias < 0) {
                return true;
            }
        }
        return false;
    }

    /** Holds a stream for {@code alias}; {@code resume} runs once the alias is known or cannot be any more. */
    void park(long alias, Runnable resume) {
        held.hold(alias, resume);
    }

    /** No SUBSCRIBE awaits an answer: the held streams' aliases will never be named. */
    private void unparkIfNoneAwaiting() {
        if (!held.isEmpty() && !awaitingAnswer()) {
            held.releaseAll();
        }
    }

    // ---- namespaces --------------------------------------------------------------------------

    /** The peer's PUBLISH_NAMESPACE (unsolicited, or on 14/15 answering our SUBSCRIBE_NAMESPACE). */
    void onPublishNamespace(PublishNamespace p, Exchange ex) {
        SessionConfig config = session.config();
        SessionStats stats = session.stats();
        String rel = Namespaces.toPath(p.namespace());
        String full = Paths.join(session.root(), rel);
        String remote = String.valueOf(session.connection().remoteAddress());
        if (!Namespaces.isPathLike(p.namespace()) || (config.relay() && !session.grant().mayPublish(full))) {
            stats.unauthorized.increment();
            IetfSession.LOG.log(System.Logger.Level.INFO, "event=announce_refused reason=unauthorized broadcast=" + full
                    + " remote=" + remote);
            control.refuse(ex, RequestKind.PUBLISH_NAMESPACE, RequestErrorCode.UNAUTHORIZED, "not allowed");
            return;
        }
        if (config.relay() && !peerBroadcasts.containsKey(rel) && config.maxAnnouncements() > 0
                && peerBroadcasts.size() >= config.maxAnnouncements()) {
            stats.limitAnnouncements.increment();
            if (!announceLimitLogged) {
                announceLimitLogged = true;
                IetfSession.LOG.log(System.Logger.Level.INFO, "event=limit_exceeded limit=announcements_per_session max="
                        + config.maxAnnouncements() + " remote=" + remote);
            }
            control.refuse(ex, RequestKind.PUBLISH_NAMESPACE, RequestErrorCode.EXCESSIVE_LOAD, "too many namespaces");
            return;
        }
        ex.send(new RequestOk(RequestKind.PUBLISH_NAMESPACE, ex.requestId));
        Broadcast b = null;
        if (config.relay() && !peerBroadcasts.containsKey(rel)) {
            b = new Broadcast(full, config.cache(), peerSource, session.loop(), config.trackLinger().toMillis(), List.of());
            b.setSourceContext(rel);
            peerBroadcasts.put(rel, b);
            stats.broadcastsAnnounced.increment();
            publish.announce(b);
        }
        interest.tell(rel, true);
        Broadcast mine = b;
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
            }

            @Override
            public void onEnd(long code) {
                if (mine != null && peerBroadcasts.remove(rel, mine)) {
                    mine.close();
                }
                interest.tell(rel, false);
                ex.end(null);
            }
        });
    }

    // ---- publisher-initiated PUBLISH ---------------------------------------------------------

    /**
     * The peer's PUBLISH (draft-ietf-moq-transport "PUBLISH"): a track offered unasked, its data under
     * the publisher's Track Alias. A relay session takes it into the origin (the broadcast of the
     * namespace, made and announced when the peer has not published the namespace; the track created in
     * it, so local subscribers share it without an upstream SUBSCRIBE) and answers PUBLISH_OK (14-17) or
     * REQUEST_OK (18+); PUBLISH_DONE or the request's end ends the track. Refused with UNAUTHORIZED outside
     * the grant, and NOT_SUPPORTED by a client session (it does not take tracks it did not ask for).
     */
    void onPublish(Publish p, Exchange ex) {
        SessionConfig config = session.config();
        String rel = Namespaces.toPath(p.namespace());
        String full = Paths.join(session.root(), rel);
        if (!config.relay()) {
            control.refuse(ex, RequestKind.PUBLISH, RequestErrorCode.NOT_SUPPORTED, "PUBLISH is not accepted here");
            return;
        }
        if (!Namespaces.isPathLike(p.namespace()) || !session.grant().mayPublish(full)) {
            session.stats().unauthorized.increment();
            control.refuse(ex, RequestKind.PUBLISH, RequestErrorCode.UNAUTHORIZED, "not allowed");
            return;
        }
        if (byAlias.containsKey(p.trackAlias())) {
            session.close(IetfErrorCode.DUPLICATE_TRACK_ALIAS.code(), "track alias " + p.trackAlias() + " in use");
            return;
        }
        Broadcast b = peerBroadcasts.get(rel);
        boolean own = b == null;
        if (own) {
            b = new Broadcast(full, config.cache(), peerSource, session.loop(), config.trackLinger().toMillis(), List.of());
            b.setSourceContext(rel);
        }
        Track existing = b.track(p.trackName().utf8());
        if (existing != null && !existing.isClosed()) {
            control.refuse(ex, RequestKind.PUBLISH, RequestErrorCode.DUPLICATE_SUBSCRIPTION, "track already published");
            return;
        }
        Track track = b.createTrack(p.trackName().utf8());
        if (own) {
            peerBroadcasts.put(rel, b);
            session.stats().broadcastsAnnounced.increment();
            publish.announce(b);
        }
        IetfVersion v = session.version();
        if (v.hasPublishOk()) {
            ex.send(new PublishOk(ex.requestId, Parameters.of(new Parameter.Int(MessageParameter.FORWARD, 1))));
        } else {
            ex.send(new RequestOk(RequestKind.PUBLISH, ex.requestId));
        }
        Remote r = new Remote(track);
        r.alias = p.trackAlias();
        r.ex = ex;
        remotes.add(r);
        byAlias.put(r.alias, r);
        held.release(r.alias);
        Broadcast mine = own ? b : null;
        r.onDone = () -> {
            if (mine != null && peerBroadcasts.remove(rel, mine)) {
                mine.close();
            }
        };
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
                if (m instanceof PublishDone d) {
                    r.expected = d.streamCount();
                    r.maybeDone();
                    ex.end(null); // the publisher is done; the track ends once its streams have begun
                }
            }

            @Override
            public void onEnd(long code) {
                if (code >= 0) {
                    r.finish();
                    track.abort(code);
                    r.onDone.run();
                } else if (r.expected < 0) {
                    r.finish();
                    track.close();
                    r.onDone.run();
                }
                ex.end(null);
            }
        });
    }

    // ---- subscriptions -----------------------------------------------------------------------

    /** One SUBSCRIBE of ours. */
    private final class Remote {
        final Track track;
        Exchange ex;
        long alias = -1;
        long streams;
        long expected = -1;
        boolean unsubscribed;
        /** Runs once the track ended after PUBLISH_DONE (a PUBLISHed track's broadcast goes then). */
        Runnable onDone = () -> { };

        Remote(Track track) {
            this.track = track;
        }

        /** After PUBLISH_DONE: the track ends once the announced streams have all begun. */
        void maybeDone() {
            if (expected >= 0 && streams >= expected && remotes.contains(this)) {
                finish();
                track.close();
                onDone.run();
            }
        }

        void finish() {
            remotes.remove(this);
            if (alias >= 0) {
                byAlias.remove(alias, this);
            }
            unparkIfNoneAwaiting();
        }
    }

    /** Subscribes upstream to {@code into}'s track of the peer's broadcast at {@code path} (root-relative). */
    void subscribeRemote(String path, Track into) {
        if (session.isClosed()) {
            into.abort(IetfErrors.sessionCode(SessionError.CLOSED, session.version()));
            return;
        }
        IetfVersion v = session.version();
        Remote r = new Remote(into);
        remotes.add(r);
        // Priority and group order: those of the downstream subscriber that made the track (Track.requested);
        // the one upstream subscription serves every later subscriber of the track too.
        Parameters ps = IetfPriorities.upstream(into.requested(), Parameters.of(
                new Parameter.Filter(MessageParameter.LOCATION_FILTER, SubscriptionFilter.LARGEST_OBJECT)));
        control.request(id -> new Subscribe(id, Namespaces.of(path), Octets.utf8(into.name()), ps), false, ex -> {
            r.ex = ex;
            if (r.unsubscribed) {
                ex.end(new Unsubscribe(ex.requestId));
                return;
            }
            ex.listen(new Exchange.Listener() {
                @Override
                public void onMessage(IetfMessage m) {
                    switch (m) {
                        case SubscribeOk ok -> {
                            r.alias = ok.trackAlias();
                            byAlias.put(ok.trackAlias(), r);
                            held.release(ok.trackAlias());
                            unparkIfNoneAwaiting();
                        }
                        case RequestError e -> {
                            r.finish();
                            into.abort(e.errorCode());
                        }
                        case PublishDone d -> {
                            r.expected = d.streamCount();
                            r.maybeDone();
                        }
                        default -> { }
                    }
                }

                @Override
                public void onEnd(long code) {
                    if (code >= 0) {
                        r.finish();
                        into.abort(code);
                    } else if (r.expected < 0) {
                        r.finish();
                        into.close();
                    }
                    ex.end(null);
                }
            });
        }, () -> {
            r.finish();
            into.abort(IetfErrors.sessionCode(SessionError.CLOSED, v));
        });
    }

    private void unsubscribeRemote(Track track) {
        for (Remote r : List.copyOf(remotes)) {
            if (r.track == track) {
                r.unsubscribed = true;
                r.finish();
                if (r.ex != null) {
                    r.ex.end(new Unsubscribe(r.ex.requestId));
                }
            }
        }
    }

    /** The session closed: end the peer's broadcasts and our subscriptions. */
    void closeAll() {
        long code = IetfErrors.sessionCode(SessionError.CLOSED, session.version());
        for (Broadcast b : peerBroadcasts.values()) {
            b.close(code);
        }
        peerBroadcasts.clear();
        for (Remote r : List.copyOf(remotes)) {
            r.track.abort(code);
        }
        remotes.clear();
        byAlias.clear();
        interest.clear();
        held.releaseAll(); // the streams see the session closed and free what they hold
    }

    /** Fills the tracks of the peer's broadcasts on demand. */
    private final class PeerSource implements TrackSource {
        @Override
        public void onTrackRequested(Track track) {
            String rel = (String) track.broadcast().sourceContext();
            if (session.loop().inEventLoop()) {
                subscribeRemote(rel, track);
            } else {
                session.loop().execute(() -> subscribeRemote(rel, track));
            }
        }

        @Override
        public void onTrackUnused(Track track) {
            if (session.loop().inEventLoop()) {
                unsubscribeRemote(track);
            } else {
                session.loop().execute(() -> unsubscribeRemote(track));
            }
        }
    }
}
