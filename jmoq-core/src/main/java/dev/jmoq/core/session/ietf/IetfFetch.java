package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.transport.SendStream;
import dev.jmoq.wire.ietf.Fetch;
import dev.jmoq.wire.ietf.FetchOk;
import dev.jmoq.wire.ietf.FetchStreamEncoder;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Location;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestKind;
import dev.jmoq.wire.ietf.StreamResetCode;
import dev.jmoq.wire.ietf.SubscriptionFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves FETCH from the track cache (draft-ietf-moq-transport "FETCH"): a standalone fetch names a track
 * and a range (inline on 14-19, a LOCATION_FILTER on 20); a joining fetch names one of the peer's
 * subscriptions and asks for the groups before the one it started at (relative: that many groups back;
 * absolute: from a group). Answered with FETCH_OK (the range's end) and one fetch stream (FETCH_HEADER,
 * then every cached object of the range: groups in the FETCH's group order (ascending unless it asks for
 * descending), objects in order within each, subgroup 0, each with its group's publisher priority), FIN at
 * its end, the stream ranked by the FETCH's subscriber priority (behind its request stream, which carries
 * FETCH_OK at the control urgency 0);
 * a range with nothing cached gets REQUEST_ERROR INVALID_RANGE. Only finished groups are sent whole; an
 * open group is sent as far as it has arrived.
 *
 * <p>Threading: the session's event loop. Buffers: objects go out as retained slices of the cache, each
 * group retained while it is composed.
 */
final class IetfFetch {
    private final IetfSession session;
    private final IetfControl control;

    /** The subscription a joining fetch refers to: its track and the group it started at. */
    record Joined(Track track, long startGroup) {
    }

    IetfFetch(IetfSession session, IetfControl control) {
        this.session = session;
        this.control = control;
    }

    /** Serves {@code f} from {@code track} (resolved by the caller; null for a joining fetch: {@code joined}). */
    void serve(Fetch f, Exchange ex, Track track, Joined joined) {
        IetfVersion v = session.version();
        Location start;
        Location end;
        if (f.fetchType() == Fetch.STANDALONE) {
            if (v.hasFetchRangeParameters()) {
                SubscriptionFilter filter = f.parameters().filter().orElse(SubscriptionFilter.NONE);
                start = filter.start();
                end = new Location(filter.endGroup(), filter.endObject());
            } else {
                start = f.start();
                end = f.end();
            }
        } else {
            if (joined == null) {
                control.refuse(ex, RequestKind.FETCH, RequestErrorCode.INVALID_JOINING_REQUEST_ID, "no such subscription");
                return;
            }
            track = joined.track();
            long from = f.fetchType() == Fetch.RELATIVE_JOINING ? joined.startGroup() - f.joiningStart() : f.joiningStart();
            start = new Location(Math.max(0, from), 0);
            end = new Location(joined.startGroup() - 1, 0); // End Object 0: the whole group
        }
        List<Group> groups = new ArrayList<>();
        long last = Math.min(end.group(), track.newestSequence());
        for (long s = Math.max(0, start.group()); s <= last; s++) {
            Group g = track.bySequence(s);
            if (g != null && g.frameCount() > 0 && g.tryRetain()) {
                groups.add(g);
            }
        }
        if (groups.isEmpty()) {
            control.refuse(ex, RequestKind.FETCH, RequestErrorCode.INVALID_RANGE, "nothing cached in the range");
            return;
        }
        Group lastGroup = groups.get(groups.size() - 1);
        // Group order (GROUP_ORDER; omitted or 0: ascending, "FETCH"): descending sends the newest group
        // first, objects within a group still in order. Draft 14's FETCH_OK says which.
        dev.jmoq.core.model.Delivery delivery = IetfPriorities.delivery(f.parameters());
        if (delivery == null) {
            groups.forEach(Group::release);
            session.violation("control", "fetch priority or group order out of range");
            return;
        }
        dev.jmoq.core.model.GroupOrder order = delivery.order().or(dev.jmoq.core.model.GroupOrder.ASCENDING);
        if (order == dev.jmoq.core.model.GroupOrder.DESCENDING) {
            java.util.Collections.reverse(groups);
        }
        Parameters ps = v.hasInlineSubscriptionFields()
                ? Parameters.of(new Parameter.Int(MessageParameter.GROUP_ORDER, order.code)) : Parameters.EMPTY;
        ex.send(new FetchOk(ex.requestId, false, new Location(lastGroup.sequence(), lastGroup.frameCount() - 1), ps,
                Octets.EMPTY));
        SendStream[] stream = new SendStream[1];
        ex.listen(new Exchange.Listener() {
            @Override
            public void onMessage(IetfMessage m) {
            }

            @Override
            public void onEnd(long code) {
                if (stream[0] != null && !stream[0].isClosed()) {
                    stream[0].reset(StreamResetCode.CANCELLED.code(v));
                }
                ex.end(null);
            }
        });
        session.connection().openUni().addListener(o -> {
            if (!o.isSuccess() || session.isClosed() || ex.ended) {
                groups.forEach(Group::release);
                return;
            }
            stream[0] = (SendStream) o.getNow();
            // Ranked among the session's streams by the FETCH's subscriber priority, as a one-group
            // subscription; its request stream (FETCH_OK) is never ranked, so it stays at urgency 0, ahead.
            var rank = session.ranking().join(delivery.priority(), dev.jmoq.core.model.GroupOrder.DESCENDING, null);
            rank.publisherPriority(groups.get(0).publisherPriority());
            stream[0].setPriority(rank.urgency(0));
            rank.leave();
            stream[0].writeAndFinish(compose(v, ex.requestId, groups, start, end,
                    order == dev.jmoq.core.model.GroupOrder.DESCENDING));
            ex.end(null);
        });
    }

    /** The fetch stream's bytes: header, then each object's fields and payload (a retained slice). */
    private static ByteBuf compose(IetfVersion v, long requestId, List<Group> groups, Location start, Location end,
            boolean descending) {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        CompositeByteBuf out = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
        FetchStreamEncoder enc = new FetchStreamEncoder(v, descending);
        ByteBuf header = alloc.buffer(16);
        enc.writeHeader(header, requestId);
        out.addComponent(true, header);
        for (Group g : groups) {
            try {
                int count = g.frameCount();
                // The range is in object ids (the model keeps the publisher's, gaps included).
                long from = g.sequence() == start.group() ? start.object() : 0;
                long until = g.sequence() == end.group() && end.object() > 0 ? end.object() : Long.MAX_VALUE; // exclusive; 0 = whole group
                for (int i = 0; i < count; i++) {
                    long id = g.objectId(i);
                    int status = g.objectStatus(i);
                    if (id < from || id >= until
                            || (status != dev.jmoq.core.model.ObjectStatus.NORMAL && v.hasVarintSerializationFlags())) {
                        continue; // outside the range, or a status-only object this draft's fetch stream cannot say
                    }
                    ByteBuf frame = g.frame(i);
                    ByteBuf ext = g.extensions(i);
                    ByteBuf fields = alloc.buffer(24 + (ext == null ? 0 : ext.readableBytes()));
                    enc.writeObjectHeader(fields, g.sequence(), 0, id, g.publisherPriority(),
                            ext == null || !ext.isReadable() ? null : ext, frame.readableBytes(),
                            frame.isReadable() ? ObjectStatus.NORMAL : status);
                    out.addComponent(true, fields);
                    if (frame.isReadable()) {
                        out.addComponent(true, frame.retainedSlice());
                    }
                }
            } finally {
                g.release();
            }
        }
        return out;
    }
}
