package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.AnnounceListener;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Paths;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Namespace;
import dev.jmoq.wire.ietf.NamespaceDone;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.PublishNamespace;
import dev.jmoq.wire.ietf.PublishNamespaceDone;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestKind;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.SubscribeNamespace;
import dev.jmoq.wire.ietf.TrackNamespace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Our namespaces towards the peer. A client session announces its own broadcasts with PUBLISH_NAMESPACE,
 * unsolicited (a moq-transport relay learns of a publisher's broadcasts only so), and ends each with
 * PUBLISH_NAMESPACE_DONE (14-16) or the request stream's FIN (17+). SUBSCRIBE_NAMESPACE is answered
 * with REQUEST_OK (SUBSCRIBE_NAMESPACE_OK on 14), then the broadcasts under the prefix as they come and
 * go: NAMESPACE / NAMESPACE_DONE on its stream (16+), or on 14/15 a PUBLISH_NAMESPACE request of ours
 * per broadcast. Only broadcasts the peer's grant may subscribe to, and none it published itself.
 *
 * <p>Threading: the session's event loop; origin listeners hop onto it.
 */
final class IetfNamespaces {
    private final IetfSession session;
    private final Origin serve;
    private final IetfSubscriber subscriber;
    private final List<Origin.Registration> registrations = new ArrayList<>();
    private IetfControl control;

    IetfNamespaces(IetfSession session, Origin serve, IetfSubscriber subscriber) {
        this.session = session;
        this.serve = serve;
        this.subscriber = subscriber;
    }

    void control(IetfControl c) {
        this.control = c;
    }

    private IetfVersion v() {
        return session.version();
    }

    /** The session is up: a client announces its own broadcasts. */
    void established() {
        if (!session.config().relay()) {
            announceAll();
        }
    }

    // ---- namespaces --------------------------------------------------------------------------

    /** Client side: one PUBLISH_NAMESPACE per local broadcast under the root, PUBLISH_NAMESPACE_DONE when it goes. */
    private void announceAll() {
        String root = session.root();
        Map<String, Pushed> open = new HashMap<>();
        registrations.add(serve.listen(root, new AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {
                session.loop().execute(() -> {
                    String rel = Paths.suffix(b.path(), root);
                    if (session.isClosed() || subscriber.isFromPeer(b) || open.containsKey(rel)) {
                        return;
                    }
                    open.put(rel, pushNamespace(Namespaces.of(rel)));
                });
            }

            @Override
            public void onWithdraw(String path) {
                session.loop().execute(() -> {
                    Pushed p = open.remove(Paths.suffix(path, root));
                    if (p != null) {
                        endPushed(p);
                    }
                });
            }
        }));
    }

    /** One PUBLISH_NAMESPACE of ours: its request once open, and whether it was withdrawn before. */
    private static final class Pushed {
        final TrackNamespace ns;
        Exchange ex;
        boolean withdrawn;

        Pushed(TrackNamespace ns) {
            this.ns = ns;
        }
    }

    /** Sends PUBLISH_NAMESPACE for {@code ns} (as soon as the peer's request limit allows). */
    private Pushed pushNamespace(TrackNamespace ns) {
        Pushed p = new Pushed(ns);
        control.request(id -> new PublishNamespace(id, ns, Parameters.EMPTY), false, ex -> {
            p.ex = ex; // REQUEST_OK, REQUEST_ERROR or CANCEL: nothing more to do for either
            if (p.withdrawn) {
                endPushed(p);
            }
        }, () -> { });
        return p;
    }

    /** PUBLISH_NAMESPACE_DONE (by namespace on 14/15, by Request ID on 16; FIN on 17+). */
    private static void endPushed(Pushed p) {
        p.withdrawn = true;
        if (p.ex != null && !p.ex.ended) {
            p.ex.end(new PublishNamespaceDone(p.ex.requestId, p.ns));
        }
    }

    void serveSubscribeNamespace(SubscribeNamespace sn, Exchange ex) {
        String prefixRel = Namespaces.toPath(sn.prefix());
        String full = Paths.join(session.root(), prefixRel);
        if (!Namespaces.isPathLike(sn.prefix()) || !session.grant().mayDiscover(full)) {
            session.stats().unauthorized.increment();
            control.refuse(ex, RequestKind.SUBSCRIBE_NAMESPACE, RequestErrorCode.UNAUTHORIZED, "not allowed");
            return;
        }
        ex.send(new RequestOk(RequestKind.SUBSCRIBE_NAMESPACE, ex.requestId));
        boolean entries = v().hasNamespaceMessages();
        Map<String, Pushed> pushed = new HashMap<>();
        Set<String> active = new HashSet<>();
        Origin.Registration reg = serve.listen(full, new AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {
                session.loop().execute(() -> {
                    if (session.isClosed() || ex.ended || subscriber.isFromPeer(b)
                            || !session.grant().maySubscribe(b.path())) {
                        return;
                    }
                    String suffix = Paths.suffix(b.path(), full);
                    if (!active.add(suffix)) {
                        return;
                    }
                    if (entries) {
                        ex.send(new Namespace(Namespaces.of(suffix)));
                    } else {
                        TrackNamespace ns = Namespaces.of(Paths.suffix(b.path(), session.root()));
                        pushed.put(suffix, pushNamespace(ns));
                    }
                });
            }

            @Override
            public void onWithdraw(String path) {
                session.loop().execute(() -> {
                    String suffix = Paths.suffix(path, full);
                    if (session.isClosed() || ex.ended || !active.remove(suffix)) {
                        return;
                    }
                    if (entries) {
                        ex.send(new NamespaceDone(Namespaces.of(suffix)));
                    } else {
                        Pushed p = pushed.remove(suffix);
                        if (p != null) {
                            endPushed(p);
                        }
                    }
                });
            }
        });
        registrations.add(reg);
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
            }

            @Override
            public void onEnd(long code) {
                reg.close();
                registrations.remove(reg);
                for (Pushed p : pushed.values()) {
                    endPushed(p);
                }
                pushed.clear();
                ex.end(null);
            }
        });
    }

    /** The session closed: stop listening to the origin. */
    void closeAll() {
        for (Origin.Registration r : registrations) {
            r.close();
        }
        registrations.clear();
    }
}
