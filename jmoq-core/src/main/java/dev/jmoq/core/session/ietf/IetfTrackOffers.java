package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.AnnounceListener;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestKind;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.SubscribeTracks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * SUBSCRIBE_TRACKS served (draft-ietf-moq-transport-18+, "SUBSCRIBE_TRACKS" and "Subscribing to
 * Namespaces"): the peer asks for a PUBLISH of every track in the namespaces under a prefix. Answered with
 * REQUEST_OK, then one PUBLISH ({@link IetfPushes}) per track of each matching broadcast, those there now
 * and those made later ({@link Broadcast#onTrack}), while the request stream is open; broadcasts the peer
 * published are left out, as are those its grant may not subscribe to. FORWARD 0 in the request gives
 * FORWARD 0 in each PUBLISH. A prefix sharing a prefix with another SUBSCRIBE_TRACKS of this session is
 * refused with PREFIX_OVERLAP; one outside the grant with UNAUTHORIZED. Ending the request (FIN or reset)
 * stops further PUBLISHes; tracks already published keep going until their subscriber ends them.
 *
 * <p>Threading: the session's event loop; origin and broadcast listeners hop onto it.
 */
final class IetfTrackOffers {
    private final IetfSession session;
    private final Origin serve;
    private final IetfSubscriber subscriber;
    private final IetfPushes pushes;
    /** Open SUBSCRIBE_TRACKS of this session, by their prefix (a root-relative path). */
    private final Map<String, Offer> open = new HashMap<>();
    private IetfControl control;

    IetfTrackOffers(IetfSession session, Origin serve, IetfSubscriber subscriber, IetfPushes pushes) {
        this.session = session;
        this.serve = serve;
        this.subscriber = subscriber;
        this.pushes = pushes;
    }

    void control(IetfControl c) {
        this.control = c;
    }

    /** One open SUBSCRIBE_TRACKS: what it listens to, and the tracks it has offered. */
    private final class Offer {
        final boolean forward;
        Origin.Registration registration;
        /** Per matching broadcast path: what removes its track listener. */
        final Map<String, Runnable> watched = new HashMap<>();
        final Set<Track> offered = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean ended;

        Offer(boolean forward) {
            this.forward = forward;
        }

        void watch(Broadcast b) {
            if (ended || session.isClosed() || subscriber.isFromPeer(b) || !session.grant().maySubscribe(b.path())) {
                return;
            }
            Runnable previous = watched.remove(b.path());
            if (previous != null) {
                previous.run(); // a new route at the path: follow its tracks instead
            }
            watched.put(b.path(), b.onTrack(t -> session.loop().execute(() -> offer(b, t))));
            for (Track t : List.copyOf(b.tracks())) {
                offer(b, t);
            }
        }

        void unwatch(String path) {
            Runnable r = watched.remove(path);
            if (r != null) {
                r.run();
            }
        }

        void offer(Broadcast b, Track t) {
            if (ended || session.isClosed() || t.isClosed() || !offered.add(t)) {
                return;
            }
            String path = Paths.suffix(b.path(), session.root());
            CompletableFuture<Void> accepted = new CompletableFuture<>();
            accepted.whenComplete((ok, e) -> {
                if (e != null) {
                    IetfSession.LOG.log(System.Logger.Level.DEBUG, () -> "event=publish_refused broadcast=" + b.path()
                            + " track=" + t.name() + " reason=\"" + e.getMessage() + "\"");
                }
            });
            pushes.publish(path, t, accepted, forward);
        }

        void end() {
            ended = true;
            if (registration != null) {
                registration.close();
            }
            for (Runnable r : watched.values()) {
                r.run();
            }
            watched.clear();
        }
    }

    void serve(SubscribeTracks st, Exchange ex) {
        String prefixRel = Namespaces.toPath(st.prefix());
        String full = Paths.join(session.root(), prefixRel);
        if (!Namespaces.isPathLike(st.prefix()) || !session.grant().mayDiscover(full)) {
            session.stats().unauthorized.increment();
            control.refuse(ex, RequestKind.ANY, RequestErrorCode.UNAUTHORIZED, "not allowed");
            return;
        }
        for (String other : open.keySet()) {
            if (Paths.hasPrefix(other, prefixRel) || Paths.hasPrefix(prefixRel, other)) {
                control.refuse(ex, RequestKind.ANY, RequestErrorCode.PREFIX_OVERLAP,
                        "overlaps SUBSCRIBE_TRACKS " + other);
                return;
            }
        }
        Offer offer = new Offer(st.parameters().number(MessageParameter.FORWARD).orElse(1) != 0);
        open.put(prefixRel, offer);
        ex.send(new RequestOk(RequestKind.ANY, ex.requestId));
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
            }

            @Override
            public void onEnd(long code) {
                open.remove(prefixRel, offer);
                offer.end();
                ex.end(null);
            }
        });
        offer.registration = serve.listen(full, new AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {
                session.loop().execute(() -> offer.watch(b));
            }

            @Override
            public void onWithdraw(String path) {
                session.loop().execute(() -> offer.unwatch(path));
            }
        });
    }

    /** The session closed: stop listening. */
    void closeAll() {
        for (Offer o : new ArrayList<>(open.values())) {
            o.end();
        }
        open.clear();
    }
}
