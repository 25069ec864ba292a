package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.GroupEgress;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Location;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.Publish;
import dev.jmoq.wire.ietf.PublishDone;
import dev.jmoq.wire.ietf.PublishDoneCode;
import dev.jmoq.wire.ietf.PublishOk;
import dev.jmoq.wire.ietf.RequestError;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.RequestUpdate;
import dev.jmoq.wire.ietf.StreamResetCode;
import dev.jmoq.wire.ietf.SubscribeOk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Publisher-initiated PUBLISH sent by this endpoint (draft-ietf-moq-transport-14 ... 20, "PUBLISH"): a
 * track offered to the peer unasked, under a Track Alias of ours. Once the peer accepts (PUBLISH_OK on
 * 14-17, REQUEST_OK on 18+) a {@link GroupEgress} sends every group of the track as subgroup streams,
 * from the oldest cached, then PUBLISH_DONE when the track ends; REQUEST_ERROR (PUBLISH_ERROR on 14)
 * fails the future with {@link PublishRefusedException}. FORWARD 0 in the answer holds the objects until a
 * SUBSCRIBE_UPDATE / REQUEST_UPDATE sets it to 1.
 *
 * <p>Threading: the session's event loop.
 */
final class IetfPushes {
    private final IetfSession session;
    private final IetfPublisher publisher;
    private final EgressStats egressStats;
    private final Set<GroupEgress> egresses = new HashSet<>();
    private IetfControl control;

    IetfPushes(IetfSession session, IetfPublisher publisher, EgressStats egressStats) {
        this.session = session;
        this.publisher = publisher;
        this.egressStats = egressStats;
    }

    void control(IetfControl c) {
        this.control = c;
    }

    /** The peer refused a PUBLISH: its REQUEST_ERROR code (the draft's) and reason. */
    static final class PublishRefusedException extends RuntimeException {
        final long code;

        PublishRefusedException(long code, String reason) {
            super("PUBLISH refused (" + code + "): " + reason);
            this.code = code;
        }
    }

    /** Sends PUBLISH for {@code track} as {@code path} (relative to the root); {@code accepted} completes on the answer. */
    void publish(String path, Track track, CompletableFuture<Void> accepted) {
        publish(path, track, accepted, true);
    }

    /**
     * As {@link #publish(String, Track, CompletableFuture)}; with {@code forward} false the PUBLISH says
     * FORWARD 0 (a SUBSCRIBE_TRACKS that asked for it) and objects wait for an answer or update with FORWARD 1.
     */
    void publish(String path, Track track, CompletableFuture<Void> accepted, boolean forward) {
        IetfVersion v = session.version();
        long alias = publisher.newAlias();
        Parameters ps = Parameters.EMPTY;
        Group newest = track.latest();
        if (newest != null && (v.hasInlineSubscriptionFields() || v.hasLengthPrefixedLocationParameter())) {
            ps = ps.with(new Parameter.At(MessageParameter.LARGEST_OBJECT,
                    new Location(newest.sequence(), Math.max(0, newest.frameCount() - 1))));
        }
        if (v.hasInlineSubscriptionFields()) {
            ps = ps.with(new Parameter.Int(MessageParameter.GROUP_ORDER, 1))
                    .with(new Parameter.Int(MessageParameter.FORWARD, forward ? 1 : 0));
        } else if (!forward) {
            ps = ps.with(new Parameter.Int(MessageParameter.FORWARD, 0));
        }
        Parameters params = ps;
        control.request(id -> new Publish(id, Namespaces.of(path), Octets.utf8(track.name()), alias, params,
                Octets.EMPTY), false, ex -> pushed(ex, track, alias, accepted, forward ? 1 : 0),
                () -> accepted.completeExceptionally(new IllegalStateException("session closed")));
    }

    private void pushed(Exchange ex, Track track, long alias, CompletableFuture<Void> accepted, long offered) {
        IetfVersion v = session.version();
        IetfFraming framing = new IetfFraming(v);
        long lagged = IetfErrors.streamCode(SessionError.LAGGING, v);
        GroupEgress[] holder = new GroupEgress[1];
        // Every group the track has and gets (the peer asked for none of it): from group 0, cache first.
        GroupEgress egress = new GroupEgress(session.connection(), track, 0, TrackCursor.NO_END, alias, framing,
                session.config().groupsInFlight(), lagged, egressStats, code -> {
                    egresses.remove(holder[0]);
                    PublishDoneCode status = code < 0 ? PublishDoneCode.TRACK_ENDED : PublishDoneCode.INTERNAL_ERROR;
                    ex.send(new PublishDone(ex.requestId, status.code(v), framing.streams(),
                            code < 0 ? "track ended" : "publisher went away"));
                    ex.end(null);
                });
        holder[0] = egress;
        boolean[] started = new boolean[1];
        Runnable start = () -> {
            if (!started[0] && !ex.ended) {
                started[0] = true;
                egresses.add(egress);
                egress.start();
            }
        };
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
                switch (m) {
                    case PublishOk ok -> answered(ok.parameters());
                    case RequestOk ok -> answered(ok.parameters());
                    case SubscribeOk ok -> answered(ok.parameters());
                    case RequestError e -> accepted.completeExceptionally(new PublishRefusedException(e.errorCode(),
                            e.reason()));
                    case RequestUpdate u -> {
                        if (u.parameters().number(MessageParameter.FORWARD).orElse(1) == 1) {
                            start.run();
                        }
                    }
                    default -> { }
                }
            }

            private void answered(Parameters ps) {
                accepted.complete(null);
                // PUBLISH_OK's subscriber priority and group order rank the pushed track's streams.
                dev.jmoq.core.model.Delivery d = IetfPriorities.delivery(ps);
                if (d != null && !started[0]) {
                    egress.priority(session.ranking(), d.priority(), d.order().or(IetfPriorities.PUBLISHER_ORDER));
                }
                if (ps.number(MessageParameter.FORWARD).orElse(offered) == 1) {
                    start.run();
                }
            }

            @Override
            public void onEnd(long code) {
                // The peer ended the request (PUBLISH_ERROR / REQUEST_ERROR, or the stream's end).
                accepted.completeExceptionally(new PublishRefusedException(Math.max(code, 0), "request ended"));
                if (started[0]) {
                    egress.cancel(StreamResetCode.CANCELLED.code(v));
                    egresses.remove(egress);
                }
                ex.end(null);
            }
        });
    }

    /** The session closed: stop every track we publish. */
    void closeAll() {
        for (GroupEgress e : new ArrayList<>(egresses)) {
            e.cancel(StreamResetCode.SESSION_CLOSED.code(session.version()));
        }
        egresses.clear();
    }
}
