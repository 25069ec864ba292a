package dev.jmoq.core.session;

import dev.jmoq.core.model.AnnounceListener;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Paths;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackSource;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.Announce;
import dev.jmoq.wire.lite.AnnounceInit;
import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.ClientSetup;
import dev.jmoq.wire.lite.HopEncoding;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.ServerSetup;
import dev.jmoq.wire.lite.SetupParameter;
import dev.jmoq.wire.lite.Subscribe;
import dev.jmoq.wire.lite.SubscribeOk;
import dev.jmoq.wire.lite.SubscribeResponse;
import dev.jmoq.wire.lite.SubscribeUpdate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A moq-lite session (drafts 01 to 04) over any transport, acting for a relay or a client.
 *
 * <p>Both directions at once: it serves {@code serve}'s broadcasts to the peer (answering the peer's
 * announce requests and subscriptions) and publishes the peer's broadcasts into {@code publish} (a relay
 * asks every peer for all its broadcasts at start; a client asks when the application does). Paths on
 * the wire are relative to the session's root, the connection's URL path.
 *
 * <p>Threading: everything runs on the connection's event loop; origin listeners and track requests
 * that arrive from other threads hop onto it. A malformed stream is reset with the protocol's code and
 * logged; only a malformed session stream or setup closes the session. Other sessions are never touched.
 */
public final class LiteSession implements ConnectionHandler {
    private static final System.Logger LOG = System.getLogger("jmoq.session");

    private static final byte[] IMPLEMENTATION = "jmoq".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final MoqConnection connection;
    private final EventLoop loop;
    private final SessionConfig config;
    private final Origin publish;
    private final Origin serve;
    private final boolean clientSide;
    private final String root;
    private final Grant grant;
    private final SessionStats stats;
    private final EgressStats egressStats;
    private final CompletableFuture<LiteVersion> ready = new CompletableFuture<>();
    private final CompletableFuture<Long> closed = new CompletableFuture<>();
    private final CompletableFuture<String> goaway = new CompletableFuture<>();

    private LiteVersion version;
    private LiteFraming framing;
    /** Our subscriptions to the peer, by id. */
    private final Map<Long, RemoteTrack> remoteTracks = new HashMap<>();
    private long nextSubscribeId;
    /** Broadcasts the peer announced to us (relay side), by path relative to root. */
    private final Map<String, Broadcast> peerBroadcasts = new HashMap<>();
    private final PeerSource peerSource = new PeerSource();
    /** What we serve to the peer: announce streams and subscriptions. */
    private final List<Origin.Registration> registrations = new ArrayList<>();
    private final Set<GroupEgress> egresses = new HashSet<>();
    private boolean isClosed;
    private boolean announceLimitLogged;
    private boolean subscribeLimitLogged;
    /** Token bucket for the subscribe rate: tokens available and when they were last refilled. */
    private double subscribeTokens = -1;
    private long subscribeRefillNanos;

    /**
     * @param publish    where the peer's broadcasts go (relay: the relay's origin)
     * @param serve      what the peer may subscribe to (relay: the same origin)
     * @param clientSide true when we dialed (we send the setup for drafts 01/02)
     */
    public LiteSession(MoqConnection connection, SessionConfig config, Origin publish, Origin serve,
            boolean clientSide, SessionStats stats, EgressStats egressStats) {
        this(connection, config, publish, serve, clientSide, stats, egressStats, null);
    }

    /**
     * @param grant what the peer may do (from its token); null allows everything under the URL path
     */
    public LiteSession(MoqConnection connection, SessionConfig config, Origin publish, Origin serve,
            boolean clientSide, SessionStats stats, EgressStats egressStats, Grant grant) {
        this.connection = connection;
        this.loop = connection.eventLoop();
        this.config = config;
        this.publish = publish;
        this.serve = serve;
        this.clientSide = clientSide;
        this.stats = stats;
        this.egressStats = egressStats;
        if (grant == null && clientSide) {
            grant = Grant.all(""); // a client's own broadcasts are not under the URL path it dialed
        } else if (grant == null) {
            String path = connection.path();
            int q = path.indexOf('?');
            grant = Grant.all(q >= 0 ? path.substring(0, q) : path);
        }
        this.grant = grant;
        this.root = grant.root();
    }

    /** Takes over the connection. Must run on the connection's event loop. */
    public void start() {
        LiteVersion byAlpn = LiteVersion.fromAlpn(connection.protocol());
        if (byAlpn != null) {
            // Before taking streams: the peer may already have opened some, and they need the version.
            this.version = byAlpn;
            this.framing = new LiteFraming(byAlpn);
        }
        connection.setHandler(this);
        connection.closeFuture().addListener(f -> loop.execute(() -> onClosed(-1, "closed")));
        if (grant.expires() != null) {
            long millis = java.time.Duration.between(java.time.Instant.now(), grant.expires()).toMillis();
            if (millis <= 0) {
                close(LiteErrorCode.UNAUTHORIZED, "token expired");
                return;
            }
            loop.schedule(() -> close(LiteErrorCode.UNAUTHORIZED, "token expired"), millis,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (byAlpn != null) {
            established(byAlpn);
        } else if (clientSide) {
            sendClientSetup();
        }
        // Server without a version: wait for the peer's CLIENT_SETUP stream.
    }

    /** The version's name as peers print it: {@code moq-lite-04}, or {@code moq-lite-02} for SETUP-negotiated drafts. */
    public static String versionName(LiteVersion v) {
        return String.format("moq-lite-%02d", v.ordinal() + 1);
    }

    /** Completes with the negotiated version once the session is usable. */
    public CompletableFuture<LiteVersion> ready() {
        return ready;
    }

    /** Completes with the redirect URI (possibly empty) when the peer sends GOAWAY. */
    public CompletableFuture<String> goawayReceived() {
        return goaway;
    }

    /** Completes with the close code when the session ends. */
    public CompletableFuture<Long> closed() {
        return closed;
    }

    public MoqConnection connection() {
        return connection;
    }

    public String root() {
        return root;
    }

    /** The negotiated version, or null before. */
    public LiteVersion version() {
        return version;
    }

    private void established(LiteVersion v) {
        this.version = v;
        this.framing = new LiteFraming(v);
        stats.sessionsOpened.increment();
        LOG.log(System.Logger.Level.INFO, () -> "event=session_ready transport=" + connection.kind().label()
                + " version=" + versionName(v) + " root=" + root + " remote=" + connection.remoteAddress());
        if (config.relay()) {
            requestAnnounces("", null);
        }
        ready.complete(v);
    }

    // ---- setup (drafts 01/02) ----------------------------------------------------------------

    private void sendClientSetup() {
        connection.openBidi().addListener(f -> {
            if (!f.isSuccess()) {
                close(LiteErrorCode.PROTOCOL_VIOLATION, "cannot open setup stream");
                return;
            }
            BidiStream s = (BidiStream) f.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.CLIENT_COMPAT.write(out);
            new ClientSetup(List.of(LiteVersion.DRAFT_02.code(), LiteVersion.DRAFT_01.code()),
                    List.of(SetupParameter.ofBytes(SetupParameter.IMPLEMENTATION, IMPLEMENTATION)))
                    .encode(out, LiteVersion.DRAFT_02);
            s.write(out);
            s.flush();
            MessageStream[] ms = new MessageStream[1];
            ms[0] = new MessageStream(s, config.maxMessageSize(), in -> {
                if (version != null) {
                    return; // session stream: nothing more we read here
                }
                if (!VarInt.isReadable(in)) {
                    return;
                }
                int mark = in.readerIndex();
                long type = VarInt.read(in);
                if (type != LiteControlType.SERVER_COMPAT.code()) {
                    throw new ProtocolException(LiteErrorCode.PROTOCOL_VIOLATION, "expected SERVER_SETUP, got " + type, true);
                }
                ServerSetup setup = ServerSetup.DECODER.tryDecode(in, LiteVersion.DRAFT_02, config.maxMessageSize());
                if (setup == null) {
                    in.readerIndex(mark);
                    return;
                }
                LiteVersion chosen = LiteVersion.fromCode(setup.version());
                if (chosen == null || !chosen.hasLegacySetup()) {
                    throw new ProtocolException(LiteErrorCode.VERSION, "server chose unsupported version " + setup.version(), true);
                }
                established(chosen);
            }, sessionStreamEvents());
            ms[0].attach();
        });
    }

    private void acceptClientSetup(BidiStream s, ByteBuf in) throws ProtocolException {
        ClientSetup setup = ClientSetup.DECODER.tryDecode(in, LiteVersion.DRAFT_02, config.maxMessageSize());
        if (setup == null) {
            return;
        }
        LiteVersion chosen = null;
        for (long code : setup.versions()) {
            LiteVersion offered = LiteVersion.fromCode(code);
            if (offered != null && offered.hasLegacySetup()) {
                if (chosen == null || offered.ordinal() > chosen.ordinal()) {
                    chosen = offered;
                }
            }
        }
        if (chosen == null) {
            throw new ProtocolException(LiteErrorCode.VERSION, "no common moq-lite version in CLIENT_SETUP", true);
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        LiteControlType.SERVER_COMPAT.write(out);
        new ServerSetup(chosen.code(), List.of(SetupParameter.ofBytes(SetupParameter.IMPLEMENTATION, IMPLEMENTATION)))
                .encode(out, chosen);
        s.write(out);
        s.flush();
        established(chosen);
    }

    private MessageStream.Events sessionStreamEvents() {
        return new MessageStream.Events() {
            @Override
            public void onEnd() {
                close(LiteErrorCode.CLOSED, "session stream ended");
            }

            @Override
            public void onReset(long code) {
                close(code, "session stream reset");
            }

            @Override
            public void onError(ProtocolException e) {
                protocolError("session", e);
                close(e.code(), e.getMessage());
            }
        };
    }

    // ---- streams the peer opens --------------------------------------------------------------

    @Override
    public void onBidiStream(BidiStream stream) {
        if (isClosed) {
            stream.reset(LiteErrorCode.CLOSED);
            return;
        }
        boolean[] typed = new boolean[1];
        MessageStream[] holder = new MessageStream[1];
        holder[0] = new MessageStream(stream, config.maxMessageSize(), in -> {
            if (typed[0] || !VarInt.isReadable(in)) {
                return;
            }
            int mark = in.readerIndex();
            LiteControlType type;
            try {
                type = LiteControlType.tryRead(in, version == null ? LiteVersion.DRAFT_02 : version);
            } catch (ProtocolException e) {
                stats.streamErrors.increment();
                holder[0].finish();
                stream.stopSending(LiteErrorCode.UNEXPECTED_STREAM);
                stream.reset(LiteErrorCode.UNEXPECTED_STREAM);
                LOG.log(System.Logger.Level.INFO, "event=stream_rejected reason=\"" + e.getMessage()
                        + "\" remote=" + connection.remoteAddress());
                return;
            }
            if (type == null) {
                return;
            }
            if (version == null && type != LiteControlType.CLIENT_COMPAT) {
                throw new ProtocolException(LiteErrorCode.PROTOCOL_VIOLATION, "stream before setup", true);
            }
            switch (type) {
                case CLIENT_COMPAT -> {
                    if (clientSide || version != null) {
                        throw new ProtocolException(LiteErrorCode.PROTOCOL_VIOLATION, "unexpected CLIENT_SETUP", true);
                    }
                    acceptClientSetup(stream, in);
                    if (version == null) {
                        in.readerIndex(mark); // incomplete: retry with more bytes
                        return;
                    }
                    typed[0] = true;
                    holder[0].parser(rest -> rest.skipBytes(rest.readableBytes()));
                    holder[0].events(sessionStreamEvents());
                }
                case ANNOUNCE -> {
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        AnnouncePlease please = AnnouncePlease.DECODER.tryDecode(rest, version, config.maxMessageSize());
                        if (please != null) {
                            holder[0].parser(more -> more.skipBytes(more.readableBytes()));
                            serveAnnounces(stream, please, holder[0]);
                        }
                    });
                    holder[0].parseNow();
                }
                case SUBSCRIBE -> {
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        Subscribe sub = Subscribe.DECODER.tryDecode(rest, version, config.maxMessageSize());
                        if (sub != null) {
                            serveSubscribe(stream, sub, holder[0]);
                        }
                    });
                    holder[0].parseNow();
                }
                case FETCH -> {
                    // [fetch hook] one cached group answered on this stream (FetchServe).
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        dev.jmoq.wire.lite.Fetch fetch = dev.jmoq.wire.lite.Fetch.DECODER.tryDecode(rest, version,
                                config.maxMessageSize());
                        if (fetch != null) {
                            holder[0].parser(more -> more.skipBytes(more.readableBytes()));
                            serveFetch(stream, fetch, holder[0]);
                        }
                    });
                    holder[0].parseNow();
                }
                case PROBE -> {
                    // Accepted and held: we send no probe reports.
                    typed[0] = true;
                    holder[0].parser(rest -> rest.skipBytes(rest.readableBytes()));
                }
                case GOAWAY -> {
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        dev.jmoq.wire.lite.Goaway g = dev.jmoq.wire.lite.Goaway.DECODER.tryDecode(rest, version,
                                config.maxMessageSize());
                        if (g != null) {
                            holder[0].parser(more -> more.skipBytes(more.readableBytes()));
                            LOG.log(System.Logger.Level.INFO, "event=goaway_received uri=\"" + g.uri() + "\" remote="
                                    + connection.remoteAddress());
                            goaway.complete(g.uri());
                        }
                    });
                    holder[0].parseNow();
                }
                default -> {
                    stats.streamErrors.increment();
                    holder[0].finish();
                    stream.stopSending(LiteErrorCode.UNSUPPORTED);
                    stream.reset(LiteErrorCode.UNSUPPORTED);
                    LOG.log(System.Logger.Level.INFO, "event=stream_rejected reason=unsupported type=" + type
                            + " remote=" + connection.remoteAddress());
                }
            }
        }, new MessageStream.Events() {
            @Override
            public void onEnd() {
            }

            @Override
            public void onReset(long code) {
            }

            @Override
            public void onError(ProtocolException e) {
                protocolError("bidi", e);
                if (e.sessionFatal()) {
                    close(e.code(), e.getMessage());
                } else {
                    stream.stopSending(e.code());
                    stream.reset(e.code());
                }
            }
        });
        holder[0].attach();
    }

    @Override
    public void onUniStream(RecvStream stream) {
        if (isClosed || version == null) {
            stream.stopSending(LiteErrorCode.CLOSED);
            return;
        }
        new GroupIngest(stream, loop, version, config.maxFrameSize(), (subscribeId, sequence) -> {
            RemoteTrack rt = remoteTracks.get(subscribeId);
            return rt == null ? null : rt.track;
        }, stats);
    }

    @Override
    public void onClosed(long code, String reason) {
        if (isClosed) {
            return;
        }
        isClosed = true;
        LOG.log(System.Logger.Level.INFO, () -> "event=session_closed code=" + code + " reason=" + reason
                + " remote=" + connection.remoteAddress());
        for (Origin.Registration r : registrations) {
            r.close();
        }
        registrations.clear();
        for (GroupEgress e : new ArrayList<>(egresses)) {
            e.cancel(LiteErrorCode.CLOSED);
        }
        egresses.clear();
        for (Broadcast b : peerBroadcasts.values()) {
            b.close(LiteErrorCode.CLOSED);
        }
        peerBroadcasts.clear();
        for (RemoteTrack rt : remoteTracks.values()) {
            rt.track.abort(LiteErrorCode.CLOSED);
        }
        remoteTracks.clear();
        stats.sessionsClosed.increment();
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException("session closed before setup: " + reason));
        }
        closed.complete(code);
    }

    /**
     * Tells the peer to move to {@code uri} (empty: to reconnect wherever it likes) because this endpoint is
     * going away: a GOAWAY stream on drafts that have one. The session stays usable until it is closed.
     * Any thread; returns false when the negotiated draft has no GOAWAY.
     */
    public boolean goaway(String uri) {
        LiteVersion v = version;
        if (v == null || !v.hasGoaway()) {
            return false;
        }
        loop.execute(() -> {
            if (isClosed) {
                return;
            }
            connection.openBidi().addListener(f -> {
                if (!f.isSuccess()) {
                    return;
                }
                BidiStream s = (BidiStream) f.getNow();
                stats.goawaysSent.increment(); // counted before it leaves, so a peer that saw it sees the count
                ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
                LiteControlType.GOAWAY.write(out);
                new dev.jmoq.wire.lite.Goaway(uri == null ? "" : uri).encode(out, v);
                s.write(out);
                s.flush();
                s.setReader(new dev.jmoq.transport.StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        data.release();
                    }

                    @Override
                    public void onFinish() {
                    }

                    @Override
                    public void onReset(long code) {
                    }
                });
            });
        });
        return true;
    }

    /** Closes the session with an application code. Any thread; idempotent. */
    public void close(long code, String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(code, reason));
            return;
        }
        connection.close(code, reason);
        onClosed(code, reason);
    }

    private void protocolError(String where, ProtocolException e) {
        stats.protocolErrors.increment();
        LOG.log(System.Logger.Level.INFO, "event=protocol_error stream=" + where + " code=" + e.code()
                + " fatal=" + e.sessionFatal() + " reason=\"" + e.getMessage() + "\" remote=" + connection.remoteAddress());
    }

    // ---- serving announces -------------------------------------------------------------------

    private void serveAnnounces(BidiStream stream, AnnouncePlease please, MessageStream reader) {
        String full = Paths.join(root, Paths.normalize(please.prefix()));
        long exclude = please.excludeHop();
        Set<String> active = new HashSet<>();
        if (version.hasAnnounceInit()) {
            List<String> initial = new ArrayList<>();
            for (Broadcast b : serve.list(full)) {
                if (announceable(b, exclude)) {
                    String suffix = Paths.suffix(b.path(), full);
                    initial.add(suffix);
                    active.add(suffix);
                }
            }
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            new AnnounceInit(initial).encode(out, version);
            stream.write(out);
            stream.flush();
        }
        AnnounceListener listener = new AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {
                loop.execute(() -> {
                    if (isClosed || stream.isClosed()) {
                        return;
                    }
                    String suffix = Paths.suffix(b.path(), full);
                    if (!announceable(b, exclude)) {
                        // The path's active route now comes through this peer (or is not for it): what we
                        // announced before is no longer ours to offer, or the two of us would keep each
                        // other's stale routes alive after the real one is gone.
                        if (active.remove(suffix)) {
                            writeAnnounce(stream, false, suffix, List.of());
                        }
                        return;
                    }
                    if (active.add(suffix)) {
                        writeAnnounce(stream, true, suffix, b.hops());
                    }
                });
            }

            @Override
            public void onWithdraw(String path) {
                loop.execute(() -> {
                    if (isClosed || stream.isClosed()) {
                        return;
                    }
                    String suffix = Paths.suffix(path, full);
                    if (active.remove(suffix)) {
                        writeAnnounce(stream, false, suffix, List.of());
                    }
                });
            }
        };
        Origin.Registration reg = serve.listen(full, listener);
        registrations.add(reg);
        Runnable stop = () -> {
            reg.close();
            registrations.remove(reg);
        };
        stream.onClosed(code -> stop.run());
        reader.events(new MessageStream.Events() {
            @Override
            public void onEnd() {
                stop.run();
                stream.finish();
            }

            @Override
            public void onReset(long code) {
                stop.run();
                stream.reset(LiteErrorCode.CANCEL);
            }

            @Override
            public void onError(ProtocolException e) {
                stop.run();
                stream.reset(e.code());
            }
        });
    }

    private void writeAnnounce(BidiStream stream, boolean active, String suffix, List<Long> hops) {
        List<Long> outHops = List.of();
        if (active && version.hopEncoding() != HopEncoding.NONE) {
            // Drafts 03/04 stamp the announcer's own origin onto the hop chain.
            List<Long> h = new ArrayList<>(hops.size() + 1);
            h.addAll(hops);
            h.add(config.originId());
            outHops = h;
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        new Announce(active, suffix, outHops).encode(out, version);
        stream.write(out);
        stream.flush();
    }

    /** Whether {@code b} may be announced to this peer: not the peer's own, not already through its origin. */
    private boolean announceable(Broadcast b, long excludeHop) {
        if (b.source() == peerSource || !grant.maySubscribe(b.path())) {
            return false;
        }
        return excludeHop == 0 || !b.hops().contains(excludeHop);
    }

    private boolean fromThisPeer(Broadcast b) {
        return b.source() == peerSource;
    }

    // ---- serving subscriptions ---------------------------------------------------------------

    /** Takes one subscribe from the session's token bucket; false when the rate is exceeded. */
    private boolean takeSubscribeToken() {
        double rate = config.subscribesPerSecond();
        if (rate <= 0) {
            return true;
        }
        long now = System.nanoTime();
        if (subscribeTokens < 0) {
            subscribeTokens = rate; // a burst of one second's worth
        } else {
            subscribeTokens = Math.min(rate, subscribeTokens + (now - subscribeRefillNanos) * rate / 1e9);
        }
        subscribeRefillNanos = now;
        if (subscribeTokens >= 1) {
            subscribeTokens -= 1;
            return true;
        }
        return false;
    }

    private void serveSubscribe(BidiStream stream, Subscribe sub, MessageStream reader) {
        if (!takeSubscribeToken()) {
            stats.limitSubscribeRate.increment();
            if (!subscribeLimitLogged) {
                subscribeLimitLogged = true;
                LOG.log(System.Logger.Level.INFO, "event=limit_exceeded limit=subscribes_per_second max="
                        + config.subscribesPerSecond() + " remote=" + connection.remoteAddress());
            }
            reader.finish();
            stream.stopSending(LiteErrorCode.BOUNDS_EXCEEDED);
            stream.reset(LiteErrorCode.BOUNDS_EXCEEDED);
            return;
        }
        String path = Paths.join(root, Paths.normalize(sub.broadcast()));
        if (!grant.maySubscribe(path)) {
            stats.unauthorized.increment();
            LOG.log(System.Logger.Level.INFO, "event=subscribe_refused reason=unauthorized broadcast=" + path
                    + " remote=" + connection.remoteAddress());
            reader.finish();
            stream.stopSending(LiteErrorCode.UNAUTHORIZED);
            stream.reset(LiteErrorCode.UNAUTHORIZED);
            return;
        }
        Broadcast b = serve.get(path);
        Track track = b == null || fromThisPeer(b) ? null : b.requestTrack(sub.track());
        if (track == null) {
            stats.subscribesNotFound.increment();
            LOG.log(System.Logger.Level.INFO, () -> "event=subscribe_not_found broadcast=" + path + " track=" + sub.track());
            reader.finish();
            stream.stopSending(LiteErrorCode.NOT_FOUND);
            stream.reset(LiteErrorCode.NOT_FOUND);
            return;
        }
        ByteBuf ok = ByteBufAllocator.DEFAULT.buffer();
        new SubscribeOk(sub.priority(), sub.ordered(), sub.maxLatencyMillis(), sub.startGroup(), sub.endGroup())
                .encode(ok, version);
        stream.write(ok);
        stream.flush();
        stats.subscribesServed.increment();
        GroupEgress[] holder = new GroupEgress[1];
        // [egress-range hook] the subscription starts and ends where SUBSCRIBE asks (absent: newest, none).
        GroupEgress egress = new GroupEgress(connection, track,
                sub.startGroup().orElse(dev.jmoq.core.model.TrackCursor.LATEST),
                sub.endGroup().orElse(dev.jmoq.core.model.TrackCursor.NO_END), sub.id(), framing,
                config.groupsInFlight(), LiteErrorCode.LAGGED, egressStats, code -> {
                    egresses.remove(holder[0]);
                    reader.finish();
                    if (code < 0) {
                        stream.finish();
                    } else {
                        stream.reset(code);
                    }
                });
        holder[0] = egress;
        egresses.add(egress);
        // SUBSCRIBE_UPDATE messages are read (priority is not applied per subscription yet).
        reader.parser(rest -> {
            while (SubscribeUpdate.DECODER.tryDecode(rest, version, config.maxMessageSize()) != null) {
                stats.subscribeUpdates.increment();
            }
        });
        // The peer ending its side (FIN or reset) ends the subscription.
        reader.events(new MessageStream.Events() {
            @Override
            public void onEnd() {
                egress.cancel(LiteErrorCode.CANCEL);
                egresses.remove(egress);
                stream.finish();
            }

            @Override
            public void onReset(long code) {
                egress.cancel(LiteErrorCode.CANCEL);
                egresses.remove(egress);
                stream.reset(LiteErrorCode.CANCEL);
            }

            @Override
            public void onError(ProtocolException e) {
                protocolError("subscribe", e);
                egress.cancel(e.code());
                egresses.remove(egress);
                stream.reset(e.code());
            }
        });
        stream.onClosed(code -> {
            egress.cancel(LiteErrorCode.CANCEL);
            egresses.remove(egress);
        });
        egress.start();
    }

    /** [fetch hook] Answers a FETCH from the cache of an existing track (never asks upstream). */
    private void serveFetch(BidiStream stream, dev.jmoq.wire.lite.Fetch fetch, MessageStream reader) {
        String path = Paths.join(root, Paths.normalize(fetch.broadcast()));
        Broadcast b = grant.maySubscribe(path) ? serve.get(path) : null;
        Track track = b == null || fromThisPeer(b) ? null : b.track(fetch.track());
        if (track == null) {
            reader.finish();
            stream.stopSending(grant.maySubscribe(path) ? LiteErrorCode.NOT_FOUND : LiteErrorCode.UNAUTHORIZED);
            stream.reset(grant.maySubscribe(path) ? LiteErrorCode.NOT_FOUND : LiteErrorCode.UNAUTHORIZED);
            egressStats.fetchesNotFound.increment();
            return;
        }
        FetchServe serving = new FetchServe(loop, stream, track, fetch.group(), framing, egressStats);
        reader.events(new MessageStream.Events() {
            @Override
            public void onEnd() {
            }

            @Override
            public void onReset(long code) {
                serving.cancel(LiteErrorCode.CANCEL);
            }

            @Override
            public void onError(ProtocolException e) {
                serving.cancel(e.code());
            }
        });
        serving.start(LiteErrorCode.NOT_FOUND);
    }

    // ---- consuming from the peer -------------------------------------------------------------

    /**
     * Asks the peer for the broadcasts under {@code prefix}. Relay sessions publish each into the origin;
     * a client may pass a listener to hear of them too. Must run on the event loop.
     */
    void requestAnnounces(String prefix, Consumer<Announce> listener) {
        connection.openBidi().addListener(f -> {
            if (!f.isSuccess()) {
                return;
            }
            BidiStream s = (BidiStream) f.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.ANNOUNCE.write(out);
            new AnnouncePlease(prefix, version.hasExcludeHop() ? config.originId() : 0).encode(out, version);
            s.write(out);
            s.flush();
            boolean[] initDone = {!version.hasAnnounceInit()};
            new MessageStream(s, config.maxMessageSize(), in -> {
                while (true) {
                    if (!initDone[0]) {
                        AnnounceInit init = AnnounceInit.DECODER.tryDecode(in, version, config.maxMessageSize());
                        if (init == null) {
                            return;
                        }
                        initDone[0] = true;
                        for (String suffix : init.suffixes()) {
                            peerAnnounced(prefix, new Announce(true, suffix, List.of()), listener);
                        }
                        continue;
                    }
                    Announce a = Announce.DECODER.tryDecode(in, version, config.maxMessageSize());
                    if (a == null) {
                        return;
                    }
                    peerAnnounced(prefix, a, listener);
                }
            }, new MessageStream.Events() {
                @Override
                public void onEnd() {
                    s.finish();
                }

                @Override
                public void onReset(long code) {
                }

                @Override
                public void onError(ProtocolException e) {
                    protocolError("announce", e);
                    s.stopSending(e.code());
                    s.reset(e.code());
                }
            }).attach();
        });
    }

    /** Client API: asks the peer for broadcasts under {@code prefix}. Must run on the event loop. */
    public void requestAnnouncesFor(String prefix, Consumer<Announce> listener) {
        requestAnnounces(prefix, listener);
    }

    /** Client API: subscribes to a track of the peer's broadcast. Must run on the event loop. */
    public void subscribeTo(String path, Track into) {
        subscribeRemote(path, into);
    }

    private void peerAnnounced(String prefix, Announce a, Consumer<Announce> listener) {
        if (listener != null) {
            listener.accept(a);
        }
        if (!config.relay()) {
            return;
        }
        String rel = Paths.join(Paths.normalize(prefix), Paths.normalize(a.suffix()));
        if (a.active()) {
            if (peerBroadcasts.containsKey(rel)) {
                return;
            }
            if (a.hops().contains(config.originId())) {
                // Our own announcement reflected back through the peer: never loop it.
                return;
            }
            String full = Paths.join(root, rel);
            if (config.maxAnnouncements() > 0 && peerBroadcasts.size() >= config.maxAnnouncements()) {
                stats.limitAnnouncements.increment();
                if (!announceLimitLogged) {
                    announceLimitLogged = true;
                    LOG.log(System.Logger.Level.INFO, "event=limit_exceeded limit=announcements_per_session max="
                            + config.maxAnnouncements() + " remote=" + connection.remoteAddress());
                }
                return;
            }
            if (!grant.mayPublish(full)) {
                stats.unauthorized.increment();
                LOG.log(System.Logger.Level.INFO, "event=announce_refused reason=unauthorized broadcast=" + full
                        + " remote=" + connection.remoteAddress());
                return;
            }
            Broadcast b = new Broadcast(full, config.cache(), peerSource, loop, config.trackLinger().toMillis(), a.hops());
            b.setSourceContext(rel);
            peerBroadcasts.put(rel, b);
            stats.broadcastsAnnounced.increment();
            publish.announce(b);
        } else {
            Broadcast b = peerBroadcasts.remove(rel);
            if (b != null) {
                b.close();
            }
        }
    }

    /**
     * Subscribes to {@code track} of the peer's broadcast at {@code path} (relative to the root) and
     * fills {@code into}. Must run on the event loop.
     */
    void subscribeRemote(String path, Track into) {
        if (isClosed) {
            into.abort(LiteErrorCode.CLOSED);
            return;
        }
        long id = nextSubscribeId++;
        RemoteTrack rt = new RemoteTrack(id, into);
        remoteTracks.put(id, rt);
        connection.openBidi().addListener(f -> {
            if (!f.isSuccess() || isClosed) {
                remoteTracks.remove(id);
                into.abort(LiteErrorCode.CLOSED);
                return;
            }
            BidiStream s = (BidiStream) f.getNow();
            rt.stream = s;
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.SUBSCRIBE.write(out);
            Subscribe.basic(id, path, into.name(), 0).encode(out, version);
            s.write(out);
            s.flush();
            new MessageStream(s, config.maxMessageSize(), in -> {
                while (SubscribeResponse.DECODER.tryDecode(in, version, config.maxMessageSize()) != null) {
                    // SUBSCRIBE_OK (and on later drafts START/END/DROP) carry nothing we act on yet
                }
            }, new MessageStream.Events() {
                @Override
                public void onEnd() {
                    remoteTracks.remove(id);
                    into.close();
                    s.finish();
                }

                @Override
                public void onReset(long code) {
                    remoteTracks.remove(id);
                    // -1: the connection went away without a code of its own.
                    into.abort(code < 0 ? LiteErrorCode.CLOSED : code);
                }

                @Override
                public void onError(ProtocolException e) {
                    protocolError("subscribe", e);
                    remoteTracks.remove(id);
                    into.abort(e.code());
                    s.reset(e.code());
                }
            }).attach();
        });
    }

    private void unsubscribeRemote(Track track) {
        for (var it = remoteTracks.values().iterator(); it.hasNext(); ) {
            RemoteTrack rt = it.next();
            if (rt.track == track) {
                it.remove();
                if (rt.stream != null) {
                    rt.stream.finish();
                }
            }
        }
    }

    /** One of our subscriptions to the peer. */
    private static final class RemoteTrack {
        final long id;
        final Track track;
        BidiStream stream;

        RemoteTrack(long id, Track track) {
            this.id = id;
            this.track = track;
        }
    }

    /** Fills the tracks of the peer's broadcasts on demand. */
    private final class PeerSource implements TrackSource {
        @Override
        public void onTrackRequested(Track track) {
            String rel = (String) track.broadcast().sourceContext();
            if (loop.inEventLoop()) {
                subscribeRemote(rel, track);
            } else {
                loop.execute(() -> subscribeRemote(rel, track));
            }
        }

        @Override
        public void onTrackUnused(Track track) {
            if (loop.inEventLoop()) {
                unsubscribeRemote(track);
            } else {
                loop.execute(() -> unsubscribeRemote(track));
            }
        }
    }
}
