package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.ClientSetup;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.Fetch;
import dev.jmoq.wire.ietf.FetchCancel;
import dev.jmoq.wire.ietf.FetchOk;
import dev.jmoq.wire.ietf.Goaway;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.MaxRequestId;
import dev.jmoq.wire.ietf.Publish;
import dev.jmoq.wire.ietf.PublishDone;
import dev.jmoq.wire.ietf.PublishNamespace;
import dev.jmoq.wire.ietf.PublishNamespaceCancel;
import dev.jmoq.wire.ietf.PublishNamespaceDone;
import dev.jmoq.wire.ietf.PublishOk;
import dev.jmoq.wire.ietf.RequestError;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestKind;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.RequestUpdate;
import dev.jmoq.wire.ietf.RequestsBlocked;
import dev.jmoq.wire.ietf.Subscribe;
import dev.jmoq.wire.ietf.SubscribeNamespace;
import dev.jmoq.wire.ietf.SubscribeOk;
import dev.jmoq.wire.ietf.SubscribeTracks;
import dev.jmoq.wire.ietf.TrackNamespace;
import dev.jmoq.wire.ietf.TrackStatus;
import dev.jmoq.wire.ietf.TrackStatusOk;
import dev.jmoq.wire.ietf.Unsubscribe;
import dev.jmoq.wire.ietf.UnsubscribeNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Control dispatch for the draft's layout. Drafts 14-16: one bidi control stream carries every request,
 * answer and follow-up, each naming its request (by Request ID, or on 14/15 by namespace); this class
 * keeps the requests of both directions and routes the peer's messages to them. Drafts 17+: each request
 * opens its own bidi stream whose first message must be a request type ({@link ControlCodec#startsRequestStream});
 * the uni control streams carry SETUP then GOAWAY. New requests go to {@link IetfPublisher} or
 * {@link IetfSubscriber}; a message the draft does not allow where it came closes the session with
 * PROTOCOL_VIOLATION.
 *
 * <p>Threading: the session's event loop.
 */
final class IetfControl {
    private final IetfSession session;
    private final IetfPublisher publisher;
    private final IetfSubscriber subscriber;
    private final IetfNamespaces namespaces;
    private final IetfTrackOffers offers;
    private BidiStream control;
    private SendStream ourControl;
    private IetfSetup setup;
    private final Map<Long, ControlExchange> incoming = new HashMap<>();
    private final Map<Long, ControlExchange> outgoing = new HashMap<>();
    private final Map<TrackNamespace, ControlExchange> incomingNamespaces = new HashMap<>();
    private final Map<TrackNamespace, ControlExchange> outgoingNamespaces = new HashMap<>();
    private final Map<TrackNamespace, ControlExchange> incomingPrefixes = new HashMap<>();

    IetfControl(IetfSession session, IetfPublisher publisher, IetfSubscriber subscriber, IetfNamespaces namespaces,
            IetfTrackOffers offers) {
        this.session = session;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.namespaces = namespaces;
        this.offers = offers;
    }

    private IetfVersion v() {
        return session.version();
    }

    // ---- streams -----------------------------------------------------------------------------

    /** Drafts 14-16: {@code s} is the control stream from here on; {@code reader} reads it. */
    void controlStream(BidiStream s, MessageStream reader) {
        this.control = s;
        reader.parser(in -> {
            IetfMessage m;
            while (!session.isClosed() && (m = ControlCodec.tryRead(in, v(), session.config().maxMessageSize())) != null) {
                onControlMessage(m);
            }
        });
        reader.events(controlEvents());
        reader.parseNow();
    }

    /** Drafts 17+: our uni control stream (GOAWAY goes there). */
    void ourControlStream(SendStream s) {
        this.ourControl = s;
    }

    /** A control stream ending ends the session; a malformed message closes it with the codec's code. */
    MessageStream.Events controlEvents() {
        return new MessageStream.Events() {
            @Override
            public void onEnd() {
                session.close(IetfErrorCode.PROTOCOL_VIOLATION.code(), "control stream ended");
            }

            @Override
            public void onReset(long code) {
                session.close(IetfErrorCode.PROTOCOL_VIOLATION.code(), "control stream reset");
            }

            @Override
            public void onError(ProtocolException e) {
                session.fatal("control", e);
            }
        };
    }

    /** A bidi stream the peer opened: the control stream (14-16 server) or a request stream. */
    void acceptBidi(BidiStream stream) {
        int max = session.config().maxMessageSize();
        MessageStream[] holder = new MessageStream[1];
        holder[0] = new MessageStream(stream, max, IetfErrorCode.PROTOCOL_VIOLATION.code(), in -> {
            IetfMessage m = ControlCodec.tryRead(in, v(), max);
            if (m == null) {
                return;
            }
            if (m instanceof ClientSetup cs) {
                holder[0].parser(rest -> { });
                setup.acceptClientSetup(stream, cs, holder[0]);
                return;
            }
            if (!session.isEstablished() || !ControlCodec.startsRequestStream(m.type(v()), v())) {
                throw IetfSetup.violation("a bidi stream may not start with " + m.getClass().getSimpleName()
                        + " in " + v());
            }
            long id = requestId(m);
            session.requestIds().onPeerRequest(id);
            StreamExchange ex = new StreamExchange(session, stream, id);
            holder[0].parser(rest -> { });
            ex.readFollowUps(holder[0]);
            onRequest(m, ex);
        }, new MessageStream.Events() {
            @Override
            public void onEnd() {
            }

            @Override
            public void onReset(long code) {
            }

            @Override
            public void onError(ProtocolException e) {
                session.fatal("bidi", e);
            }
        });
        holder[0].attach();
    }

    /** The setup role, which takes a CLIENT_SETUP stream (set once, at construction of the session). */
    void setup(IetfSetup s) {
        this.setup = s;
    }

    // ---- drafts 14-16: the control stream's messages -----------------------------------------

    /** A message from the control stream (14-16) or the peer's uni control stream after SETUP (17+). */
    void onControlMessage(IetfMessage m) throws ProtocolException {
        switch (m) {
            case Goaway g -> {
                IetfSession.LOG.log(System.Logger.Level.INFO, "event=goaway_received uri=\"" + g.newSessionUri()
                        + "\" remote=" + session.connection().remoteAddress());
                session.goawayReceived(g.newSessionUri());
            }
            case MaxRequestId mr -> session.requestIds().onPeerLimit(mr.maxRequestId(), this::sendBlocked);
            case RequestsBlocked rb -> IetfSession.LOG.log(System.Logger.Level.DEBUG,
                    () -> "event=requests_blocked max=" + rb.maximumRequestId());
            default -> {
                if (v().hasRequestStreams()) {
                    throw IetfSetup.violation(m.getClass().getSimpleName() + " on the control stream in " + v());
                }
                onMultiplexed(m);
            }
        }
    }

    private void onMultiplexed(IetfMessage m) throws ProtocolException {
        switch (m) {
            case Subscribe s -> newIncoming(m, s.requestId());
            case PublishNamespace p -> incomingNamespaces.put(p.namespace(), newIncoming(m, p.requestId()));
            case SubscribeNamespace sn -> incomingPrefixes.put(sn.prefix(), newIncoming(m, sn.requestId()));
            case Fetch f -> newIncoming(m, f.requestId());
            case TrackStatus t -> newIncoming(m, t.requestId());
            case Publish p -> newIncoming(m, p.requestId());
            case SubscribeOk ok -> toOutgoing(ok.requestId(), m, false);
            case RequestOk ok -> toOutgoing(ok.requestId(), m, false);
            case FetchOk ok -> toOutgoing(ok.requestId(), m, false);
            case TrackStatusOk ok -> toOutgoing(ok.requestId(), m, true);
            case PublishOk ok -> toOutgoing(ok.requestId(), m, false);
            case RequestError e -> toOutgoing(e.requestId(), m, true);
            case PublishDone d -> {
                ControlExchange in = incoming.get(d.requestId());
                if (in != null) {
                    in.listener.onMessage(m); // the end of a track the peer PUBLISHed to us
                } else {
                    toOutgoing(d.requestId(), m, true);
                }
            }
            case RequestUpdate u -> {
                ControlExchange ex = incoming.get(u.existingRequestId());
                if (ex == null) {
                    ex = incoming.get(u.requestId());
                }
                if (ex != null) {
                    ex.listener.onMessage(m);
                }
            }
            case Unsubscribe u -> endIncoming(incoming.get(u.requestId()));
            case FetchCancel c -> endIncoming(incoming.get(c.requestId()));
            case PublishNamespaceDone d -> endIncoming(v().hasPublishNamespaceDoneByNamespace()
                    ? incomingNamespaces.get(d.namespace()) : incoming.get(d.requestId()));
            case UnsubscribeNamespace u -> endIncoming(v().hasUnsubscribeNamespaceByRequestId()
                    ? incoming.get(u.requestId()) : incomingPrefixes.get(u.prefix()));
            case PublishNamespaceCancel c -> {
                ControlExchange ex = v().hasPublishNamespaceCancelByNamespace()
                        ? outgoingNamespaces.get(c.namespace()) : outgoing.get(c.requestId());
                if (ex != null) {
                    ex.closedByPeer(c.errorCode());
                }
            }
            default -> throw IetfSetup.violation("unexpected " + m.getClass().getSimpleName() + " on the control stream");
        }
    }

    private ControlExchange newIncoming(IetfMessage m, long id) throws ProtocolException {
        session.requestIds().onPeerRequest(id);
        ControlExchange ex = new ControlExchange(this, id, false);
        incoming.put(id, ex);
        onRequest(m, ex);
        return ex;
    }

    private void toOutgoing(long id, IetfMessage m, boolean terminal) throws ProtocolException {
        ControlExchange ex = outgoing.get(id);
        if (ex == null) {
            return; // an answer to a request we already ended
        }
        ex.listener.onMessage(m);
        if (terminal) {
            ex.closedByPeer(-1);
        }
    }

    private static void endIncoming(ControlExchange ex) {
        if (ex != null) {
            ex.closedByPeer(-1);
        }
    }

    /** Drops a finished request from the tables; the peer's finished requests move the ID window. */
    void forget(ControlExchange ex, boolean isOutgoing) {
        Map<Long, ControlExchange> table = isOutgoing ? outgoing : incoming;
        if (table.remove(ex.requestId, ex)) {
            (isOutgoing ? outgoingNamespaces : incomingNamespaces).values().remove(ex);
            if (!isOutgoing) {
                incomingPrefixes.values().remove(ex);
                long grant = session.requestIds().onPeerRequestEnded();
                if (grant >= 0) {
                    sendControl(new MaxRequestId(grant));
                }
            }
        }
    }

    /** Writes a message on the control stream (14-16) or our uni control stream (17+). */
    void sendControl(IetfMessage m) {
        SendStream s = v().hasRequestStreams() ? ourControl : control;
        if (s == null || s.isClosed() || session.isClosed()) {
            return;
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        ControlCodec.write(out, m, v());
        s.write(out);
        s.flush();
    }

    void sendBlocked(long limit) {
        sendControl(new RequestsBlocked(limit));
    }

    void sendGoaway(String uri) {
        session.stats().goawaysSent.increment();
        sendControl(new Goaway(uri));
    }

    // ---- requests ----------------------------------------------------------------------------

    /** A new request from the peer, on either layout. */
    private void onRequest(IetfMessage m, Exchange ex) throws ProtocolException {
        switch (m) {
            case Subscribe s -> publisher.serveSubscribe(s, ex);
            case SubscribeNamespace sn -> namespaces.serveSubscribeNamespace(sn, ex);
            case TrackStatus t -> publisher.serveTrackStatus(t, ex);
            case PublishNamespace p -> subscriber.onPublishNamespace(p, ex);
            case Fetch f -> publisher.serveFetch(f, ex);
            case Publish p -> subscriber.onPublish(p, ex);
            case SubscribeTracks st -> offers.serve(st, ex);
            default -> throw IetfSetup.violation("not a request: " + m.getClass().getSimpleName());
        }
    }

    /** Answers a request with REQUEST_ERROR (draft 14: the request's own _ERROR) and ends it. */
    void refuse(Exchange ex, RequestKind kind, RequestErrorCode code, String reason) {
        ex.send(new RequestError(kind, ex.requestId, IetfErrors.requestCode(code, v()), reason));
        ex.end(null);
    }

    /**
     * Sends a request: on its own bidi stream when the draft (or {@code ownStream}) says so, else on the
     * control stream once the peer's request limit allows. {@code opened} gets the exchange after the
     * request was written; {@code failed} runs when no stream could be opened.
     */
    void request(LongFunction<IetfMessage> build, boolean ownStream, Consumer<Exchange> opened, Runnable failed) {
        boolean own = v().hasRequestStreams() || ownStream;
        session.requestIds().allocate(id -> {
            if (session.isClosed()) {
                failed.run();
                return;
            }
            if (own) {
                session.connection().openBidi().addListener(f -> {
                    if (!f.isSuccess() || session.isClosed()) {
                        failed.run();
                        return;
                    }
                    StreamExchange ex = new StreamExchange(session, (BidiStream) f.getNow(), id);
                    ex.send(build.apply(id));
                    ex.readFollowUps(null);
                    opened.accept(ex);
                });
                return;
            }
            ControlExchange ex = new ControlExchange(this, id, true);
            IetfMessage m = build.apply(id);
            outgoing.put(id, ex);
            if (m instanceof PublishNamespace p) {
                outgoingNamespaces.put(p.namespace(), ex);
            }
            sendControl(m);
            opened.accept(ex);
        }, this::sendBlocked);
    }

    /** The Request ID of a request message. */
    static long requestId(IetfMessage m) throws ProtocolException {
        return switch (m) {
            case Subscribe s -> s.requestId();
            case PublishNamespace p -> p.requestId();
            case SubscribeNamespace sn -> sn.requestId();
            case Fetch f -> f.requestId();
            case TrackStatus t -> t.requestId();
            case Publish p -> p.requestId();
            case SubscribeTracks st -> st.requestId();
            default -> throw IetfSetup.violation("not a request: " + m.getClass().getSimpleName());
        };
    }
}
