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
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.Namespace;
import dev.jmoq.wire.ietf.NamespaceDone;
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
import dev.jmoq.wire.ietf.SubscribeNamespace;
import dev.jmoq.wire.ietf.SubscribeOk;
import dev.jmoq.wire.ietf.SubscriptionFilter;
import dev.jmoq.wire.ietf.Unsubscribe;
import dev.jmoq.wire.ietf.UnsubscribeNamespace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The subscriber side of an IETF session: consumes what the peer publishes. The peer's PUBLISH_NAMESPACEs
 * become {@link Broadcast}s in the {@code publish} origin (relay sessions; grant and per-session limit
 * enforced; PUBLISH_NAMESPACE_DONE, or the request stream's end, withdraws them), and are also told to
 * the application's {@link #announced} listeners. {@link #announced} sends SUBSCRIBE_NAMESPACE and hears
 * NAMESPACE / NAMESPACE_DONE (16+) or PUBLISH_NAMESPACE (14/15). A local subscriber's first request for a
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
    private final List<Listening> listeners = new ArrayList<>();
    private final Map<Long, Remote> byAlias = new HashMap<>();
    private final List<Remote> remotes = new ArrayList<>();
    /** Subgroup streams held until SUBSCRIBE_OK names their alias, by alias. */
    private final Map<Long, List<Runnable>> parked = new HashMap<>();
    private int parkedCount;
    /** Streams held at once at most; more are routed at once (and stopped when their alias is unknown). */
    static final int MAX_PARKED = 64;
    private IetfControl control;
    private boolean announceLimitLogged;

    IetfSubscriber(IetfSession session, Origin publish) {
        this.session = session;
        this.publish = publish;
    }

    void control(IetfControl c) {
        this.control = c;
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

    /**
     * True when a subgroup stream for {@code alias} should wait: the alias is unknown, but a SUBSCRIBE
     * of ours still awaits its SUBSCRIBE_OK (which may name it), and fewer than {@value #MAX_PARKED} wait.
     */
    boolean shouldWait(long alias) {
        return !byAlias.containsKey(alias) && parkedCount < MAX_PARKED && awaitingAnswer();
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
        parked.computeIfAbsent(alias, a -> new ArrayList<>()).add(resume);
        parkedCount++;
    }

    private void unpark(long alias) {
        List<Runnable> waiting = parked.remove(alias);
        if (waiting != null) {
            parkedCount -= waiting.size();
            waiting.forEach(Runnable::run);
        }
    }

    /** No SUBSCRIBE awaits an answer: the held streams' aliases will never be named. */
    private void unparkIfNoneAwaiting() {
        if (!parked.isEmpty() && !awaitingAnswer()) {
            for (Long alias : List.copyOf(parked.keySet())) {
                unpark(alias);
            }
        }
    }

    // ---- namespaces --------------------------------------------------------------------------

    /** An application's interest in the peer's namespaces under {@code prefix} (root-relative). */
    private record Listening(String prefix, BiConsumer<String, Boolean> listener) {
    }

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
        tell(rel, true);
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
                tell(rel, false);
                ex.end(null);
            }
        });
    }

    private void tell(String rel, boolean active) {
        for (Listening l : List.copyOf(listeners)) {
            if (Paths.hasPrefix(rel, l.prefix)) {
                l.listener.accept(Paths.suffix(rel, l.prefix), active);
            }
        }
    }

    /** SUBSCRIBE_NAMESPACE for {@code prefix}; {@code listener} hears (suffix, active). Event loop. */
    void announced(String prefix, BiConsumer<String, Boolean> listener) {
        String p = Paths.normalize(prefix);
        IetfVersion v = session.version();
        boolean entries = v.hasNamespaceMessages();
        if (!entries) {
            listeners.add(new Listening(p, listener)); // the peer answers with PUBLISH_NAMESPACE requests
        }
        control.request(id -> new SubscribeNamespace(id, Namespaces.of(p), SubscribeNamespace.NAMESPACE, Parameters.EMPTY),
                entries, ex -> ex.listen(new Exchange.Listener() {
                    @Override
                    public void onMessage(IetfMessage m) {
                        switch (m) {
                            case Namespace n -> listener.accept(Namespaces.toPath(n.suffix()), true);
                            case NamespaceDone n -> listener.accept(Namespaces.toPath(n.suffix()), false);
                            default -> { }
                        }
                    }

                    @Override
                    public void onEnd(long code) {
                        ex.end(new UnsubscribeNamespace(ex.requestId, Namespaces.of(p)));
                    }
                }), () -> { });
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

        Remote(Track track) {
            this.track = track;
        }

        /** After PUBLISH_DONE: the track ends once the announced streams have all begun. */
        void maybeDone() {
            if (expected >= 0 && streams >= expected) {
                finish();
                track.close();
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
        Parameters ps = Parameters.of(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 128),
                new Parameter.Filter(MessageParameter.LOCATION_FILTER, SubscriptionFilter.LARGEST_OBJECT));
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
                            unpark(ok.trackAlias());
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
        listeners.clear();
        for (Long alias : List.copyOf(parked.keySet())) {
            unpark(alias); // the streams see the session closed and free what they hold
        }
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
