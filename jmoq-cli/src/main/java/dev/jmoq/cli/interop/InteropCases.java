package dev.jmoq.cli.interop;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The procedures of the runner's cases (englishm/moq-interop-runner docs/tests/TEST-CASES.md, MoqT-18
 * section numbers there) through the Java client API. Where that API has no event for an answer the
 * spec names, the case waits for the effect that answer has:
 * <ul>
 * <li>PUBLISH_NAMESPACE_OK: the relay routes a SUBSCRIBE for the namespace to us (announce-only), or a
 *     second connection's SUBSCRIBE_NAMESPACE sees the namespace (publish-namespace-done);</li>
 * <li>SUBSCRIBE_OK: the subscriber receives the publisher's object (a relay may hold SUBSCRIBE_OK until
 *     the publisher's first object, so the publisher writes one once it is subscribed);</li>
 * <li>REQUEST_ERROR: the subscribed track ends with an error code.</li>
 * </ul>
 * The publish-track cases send publisher-initiated PUBLISH ({@link ClientSession#publishTrack}); PUBLISH_DONE
 * going out is seen as the published track losing its last subscriber (the egress) after it closed.
 */
public final class InteropCases {
    /** The runner's namespace and track (TEST-CASES.md). */
    public static final String NAMESPACE = "moq-test/interop";
    public static final String NAMESPACE_PREFIX = "moq-test";
    public static final String NAMESPACE_SUFFIX = "interop";
    public static final String TRACK = "test-track";
    public static final String MISSING_NAMESPACE = "nonexistent/namespace";
    /** The publish-track cases' namespace, track and object payloads (TEST-CASES.md). */
    public static final String PUBLISH_NAMESPACE = "moq-test/publish";
    public static final String PUBLISH_TRACK = "published-track";
    public static final String PUBLISH_ONLY_PAYLOAD = "moqt18-publish-track-only";
    public static final String PUBLISH_SUBSCRIBE_PAYLOAD = "moqt18-publish-track-subscribe";
    /** data-subgroup-basic: 3 groups of 5 objects. */
    public static final int GROUPS = 3;
    public static final int OBJECTS = 5;
    /**
     * The wait between PUBLISH_NAMESPACE and the subscriber's SUBSCRIBE where the procedure says "wait
     * for PUBLISH_NAMESPACE_OK" but the client API has no event for it (the runner's moq-dev-js client
     * waits the same 300 ms).
     */
    static final long ANNOUNCE_SETTLE_MILLIS = 300;

    private InteropCases() {
    }

    /** Runs {@code c}; returns normally on success. */
    public static void run(InteropCase c, CaseContext ctx) throws CaseFailure, Unsupported {
        switch (c) {
            case SETUP_ONLY -> setupOnly(ctx);
            case ANNOUNCE_ONLY -> announceOnly(ctx);
            case PUBLISH_NAMESPACE_DONE -> publishNamespaceDone(ctx);
            case SUBSCRIBE_ERROR -> subscribeError(ctx);
            case ANNOUNCE_SUBSCRIBE -> announceSubscribe(ctx);
            case SUBSCRIBE_BEFORE_ANNOUNCE -> subscribeBeforeAnnounce(ctx);
            case PUBLISH_TRACK_ONLY -> publishTrackOnly(ctx);
            case PUBLISH_TRACK_SUBSCRIBE -> publishTrackSubscribe(ctx);
            case DATA_SUBGROUP_BASIC -> dataSubgroupBasic(ctx);
            case SUBSCRIBE_NAMESPACE_LIFECYCLE -> subscribeNamespaceLifecycle(ctx);
        }
    }

    /** Object {@code object} of group {@code group} in data-subgroup-basic: a label, then a counting pattern. */
    public static byte[] payload(long group, int object) {
        byte[] label = ("g" + group + "o" + object + ":").getBytes(StandardCharsets.US_ASCII);
        int n = (int) (group * OBJECTS + object + 1) * 8;
        byte[] out = Arrays.copyOf(label, label.length + n);
        for (int i = 0; i < n; i++) {
            out[label.length + i] = (byte) (group * 16 + object + i);
        }
        return out;
    }

    private static void setupOnly(CaseContext ctx) throws CaseFailure {
        ClientSession s = ctx.connect("");
        ctx.close(s);
    }

    private static void announceOnly(CaseContext ctx) throws CaseFailure {
        ClientSession pub = ctx.connect("publisher");
        Broadcast b = pub.publish(NAMESPACE);
        Track t = b.createTrack(TRACK);
        // The relay routes a SUBSCRIBE into the namespace to us only once it accepted PUBLISH_NAMESPACE.
        ClientSession probe = ctx.connect("probe");
        probe.subscribe(NAMESPACE, TRACK);
        ctx.await(ctx.subscribed(pub, t), "PUBLISH_NAMESPACE_OK (the relay routing a SUBSCRIBE to the namespace)");
        ctx.close(probe);
        ctx.close(pub);
    }

    private static void publishNamespaceDone(CaseContext ctx) throws CaseFailure {
        ClientSession watcher = ctx.connect("watcher");
        Announcements seen = Announcements.listen(watcher, NAMESPACE_PREFIX);
        ClientSession pub = ctx.connect("publisher");
        Broadcast b = pub.publish(NAMESPACE);
        b.createTrack(TRACK);
        ctx.await(seen.next(NAMESPACE_SUFFIX, true), "PUBLISH_NAMESPACE_OK (the namespace seen through SUBSCRIBE_NAMESPACE)");
        b.close(); // PUBLISH_NAMESPACE_DONE (14-16) or the request stream's FIN (17+)
        ctx.await(seen.next(NAMESPACE_SUFFIX, false), "the namespace withdrawn");
        ctx.close(pub);
        ctx.close(watcher);
    }

    private static void subscribeError(CaseContext ctx) throws CaseFailure {
        ClientSession sub = ctx.connect("");
        Reception r = Reception.start(sub, sub.subscribe(MISSING_NAMESPACE, TRACK));
        long code = ctx.await(r.ended(), "REQUEST_ERROR");
        if (code < 0) {
            throw new CaseFailure("REQUEST_ERROR", "the track ended without an error");
        }
        if (!r.objects().isEmpty()) {
            throw new CaseFailure("REQUEST_ERROR", "objects of a namespace nobody published");
        }
        ctx.note("error_code", code);
        ctx.close(sub);
    }

    private static void announceSubscribe(CaseContext ctx) throws CaseFailure {
        ClientSession pub = ctx.connect("publisher");
        Track t = pub.publish(NAMESPACE).createTrack(TRACK);
        ctx.pause(ANNOUNCE_SETTLE_MILLIS);
        ClientSession sub = ctx.connect("subscriber");
        Reception r = Reception.start(sub, sub.subscribe(NAMESPACE, TRACK));
        CompletableFuture<Void> routed = ctx.subscribed(pub, t);
        failIfEnded(ctx, r, routed, "the relay routing SUBSCRIBE to the publisher");
        write(pub, t, 0, 1);
        failIfEnded(ctx, r, r.objectCount(1), "SUBSCRIBE_OK and the publisher's object");
        r.expect(0, 0, payload(0, 0));
        ctx.close(sub);
        ctx.close(pub);
    }

    private static void subscribeBeforeAnnounce(CaseContext ctx) throws CaseFailure {
        ClientSession sub = ctx.connect("subscriber");
        Reception r = Reception.start(sub, sub.subscribe(NAMESPACE, TRACK));
        ctx.pause(500);
        ClientSession pub = ctx.connect("publisher");
        Track t = pub.publish(NAMESPACE).createTrack(TRACK);
        ctx.subscribed(pub, t).thenRun(() -> write(pub, t, 0, 1));
        // Either outcome is valid: the SUBSCRIBE held until the namespace came, or REQUEST_ERROR.
        ctx.await(CompletableFuture.anyOf(r.ended(), r.objectCount(1)), "SUBSCRIBE_OK or REQUEST_ERROR");
        if (r.objects().isEmpty()) {
            long code = r.ended().join();
            if (code < 0) {
                throw new CaseFailure("SUBSCRIBE_OK or REQUEST_ERROR", "the track ended without an error or object");
            }
            ctx.note("outcome", "REQUEST_ERROR code " + code);
        } else {
            r.expect(0, 0, payload(0, 0));
            ctx.note("outcome", "SUBSCRIBE_OK and the object");
        }
        ctx.close(sub);
        ctx.close(pub);
    }

    /** PUBLISH of the test track, once accepted; a session whose protocol has no PUBLISH: {@link Unsupported}. */
    private static Track publishTrack(CaseContext ctx, ClientSession pub) throws CaseFailure, Unsupported {
        CompletableFuture<Track> f = pub.publishTrack(PUBLISH_NAMESPACE, PUBLISH_TRACK);
        try {
            return ctx.await(f, "PUBLISH_OK (REQUEST_OK)");
        } catch (CaseFailure e) {
            if (f.isCompletedExceptionally() && f.exceptionNow() instanceof UnsupportedOperationException u) {
                throw new Unsupported(u.getMessage() + " (" + pub.version() + ")");
            }
            throw e;
        }
    }

    private static void publishTrackOnly(CaseContext ctx) throws CaseFailure, Unsupported {
        ClientSession pub = ctx.connect("publisher");
        Track t = publishTrack(ctx, pub);
        // Forward State 1 (the relay's answer, or its default): group 0, object 0, FIN; then PUBLISH_DONE.
        writeOne(pub, t, PUBLISH_ONLY_PAYLOAD);
        ctx.await(ctx.drained(pub, t), "the object sent and PUBLISH_DONE (TRACK_ENDED, Stream Count 1)");
        ctx.close(pub);
    }

    /**
     * Deviation from the procedure: the client API sets no RENDEZVOUS_TIMEOUT (a relay holds a SUBSCRIBE for
     * a track nobody published yet only with one), so the subscriber (connected first) subscribes once the
     * PUBLISH is accepted; and with no SUBSCRIBE_OK event, the object is written first and the track ended
     * (PUBLISH_DONE) once the subscriber has it.
     */
    private static void publishTrackSubscribe(CaseContext ctx) throws CaseFailure, Unsupported {
        ClientSession sub = ctx.connect("subscriber");
        ClientSession pub = ctx.connect("publisher");
        Track t = publishTrack(ctx, pub);
        Reception r = Reception.start(sub, sub.subscribe(PUBLISH_NAMESPACE, PUBLISH_TRACK));
        pub.executor().execute(() -> {
            Group g = t.createGroup(0);
            if (g != null) {
                g.append(Unpooled.wrappedBuffer(PUBLISH_SUBSCRIBE_PAYLOAD.getBytes(StandardCharsets.US_ASCII)));
                g.finish();
            }
        });
        failIfEnded(ctx, r, r.objectCount(1), "SUBSCRIBE_OK and the published object");
        pub.executor().execute(t::close);
        long end = ctx.await(r.ended(), "PUBLISH_DONE (TRACK_ENDED) to the subscriber");
        if (end >= 0) {
            throw new CaseFailure("PUBLISH_DONE TRACK_ENDED", "the subscription ended with code " + end);
        }
        if (r.objects().size() != 1) {
            throw new CaseFailure("exactly one object", r.summary());
        }
        r.expect(0, 0, PUBLISH_SUBSCRIBE_PAYLOAD.getBytes(StandardCharsets.US_ASCII));
        ctx.close(pub);
        ctx.close(sub);
    }

    /** Group 0 with one object, then the track's end (PUBLISH_DONE once the group went out). */
    private static void writeOne(ClientSession pub, Track t, String payload) {
        pub.executor().execute(() -> {
            Group g = t.createGroup(0);
            if (g != null) {
                g.append(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.US_ASCII)));
                g.finish();
            }
            t.close();
        });
    }

    private static void dataSubgroupBasic(CaseContext ctx) throws CaseFailure {
        ClientSession pub = ctx.connect("publisher");
        Track t = pub.publish(NAMESPACE).createTrack(TRACK);
        ctx.pause(ANNOUNCE_SETTLE_MILLIS);
        ClientSession sub = ctx.connect("subscriber");
        Reception r = Reception.start(sub, sub.subscribe(NAMESPACE, TRACK));
        failIfEnded(ctx, r, ctx.subscribed(pub, t), "the relay routing SUBSCRIBE to the publisher");
        for (int g = 0; g < GROUPS; g++) {
            write(pub, t, g, OBJECTS);
        }
        failIfEnded(ctx, r, r.objectCount(GROUPS * OBJECTS), GROUPS + " groups x " + OBJECTS + " objects");
        for (int g = 0; g < GROUPS; g++) {
            for (int o = 0; o < OBJECTS; o++) {
                r.expect(g, o, payload(g, o));
            }
        }
        ctx.note("objects", r.objects().size());
        ctx.close(sub);
        ctx.close(pub);
    }

    private static void subscribeNamespaceLifecycle(CaseContext ctx) throws CaseFailure {
        ClientSession sub = ctx.connect("subscriber");
        Announcements seen = Announcements.listen(sub, NAMESPACE_PREFIX);
        ClientSession pub = ctx.connect("publisher");
        Broadcast b = pub.publish(NAMESPACE);
        b.createTrack(TRACK);
        ctx.await(seen.next(NAMESPACE_SUFFIX, true), "NAMESPACE (or PUBLISH_NAMESPACE) for " + NAMESPACE);
        b.close();
        ctx.await(seen.next(NAMESPACE_SUFFIX, false), "NAMESPACE_DONE (or PUBLISH_NAMESPACE_DONE) for " + NAMESPACE);
        ctx.close(pub);
        ctx.close(sub);
    }

    /** Waits for {@code what}; a subscription that ends with an error first fails the case with its code. */
    private static void failIfEnded(CaseContext ctx, Reception r, CompletableFuture<?> what, String label)
            throws CaseFailure {
        try {
            ctx.await(CompletableFuture.anyOf(what, r.ended()), label);
        } catch (CaseFailure f) {
            throw new CaseFailure(f.expected(), f.received() + " (" + r.summary() + ")");
        }
        if (!what.isDone()) {
            long code = r.ended().join();
            throw new CaseFailure(label, code >= 0 ? "REQUEST_ERROR (or PUBLISH_DONE) code " + code : "the track ended");
        }
    }

    /** Writes group {@code group} of {@code objects} objects ({@link #payload}) on the publisher's loop. */
    private static void write(ClientSession pub, Track t, long group, int objects) {
        pub.executor().execute(() -> {
            Group g = t.createGroup(group);
            if (g == null) {
                return;
            }
            for (int o = 0; o < objects; o++) {
                g.append(Unpooled.wrappedBuffer(payload(group, o)));
            }
            g.finish();
        });
    }

    /** What a subscriber received: objects as (group, index, bytes) and the track's end. */
    static final class Reception {
        record Obj(long group, int index, byte[] bytes) {
        }

        private final List<Obj> objects = new ArrayList<>();
        private final List<Runnable> waiters = new ArrayList<>();
        private final CompletableFuture<Long> ended = new CompletableFuture<>();

        static Reception start(ClientSession s, Track t) {
            Reception r = new Reception();
            TrackReader reader = TrackReader.ofSubscription(t, s.executor(), new TrackReader.Handler() {
                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    r.add(new Obj(sequence, index, ByteBufUtil.getBytes(frame)));
                }

                @Override
                public void onEnd(long code) {
                    r.ended.complete(code);
                }
            });
            s.executor().execute(reader::start);
            s.closed().whenComplete((c, e) -> r.ended.complete(c == null || c == 0 ? -1L : c));
            return r;
        }

        private synchronized void add(Obj o) {
            objects.add(o);
            for (Runnable w : List.copyOf(waiters)) {
                w.run();
            }
        }

        synchronized List<Obj> objects() {
            return List.copyOf(objects);
        }

        CompletableFuture<Long> ended() {
            return ended;
        }

        /** Completes once {@code n} objects have arrived. */
        synchronized CompletableFuture<Void> objectCount(int n) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            Runnable check = () -> {
                if (objects.size() >= n) {
                    f.complete(null);
                }
            };
            waiters.add(check);
            check.run();
            return f;
        }

        /** The objects received so far, per group: e.g. {@code 2 objects: g0 x1, g2 x1}. */
        synchronized String summary() {
            java.util.Map<Long, Integer> perGroup = new java.util.TreeMap<>();
            for (Obj o : objects) {
                perGroup.merge(o.group, 1, Integer::sum);
            }
            StringBuilder sb = new StringBuilder(objects.size() + " objects received");
            perGroup.forEach((g, n) -> sb.append(sb.indexOf(":") < 0 ? ": " : ", ").append('g').append(g).append(" x").append(n));
            return sb.toString();
        }

        /** Object {@code index} of group {@code group} arrived with exactly {@code bytes}. */
        synchronized void expect(long group, int index, byte[] bytes) throws CaseFailure {
            String what = "group " + group + " object " + index + " (" + bytes.length + " bytes)";
            for (Obj o : objects) {
                if (o.group == group && o.index == index) {
                    if (!Arrays.equals(o.bytes, bytes)) {
                        throw new CaseFailure(what, o.bytes.length + " other bytes");
                    }
                    return;
                }
            }
            throw new CaseFailure(what, "not received (got " + objects.size() + " objects)");
        }
    }
}
