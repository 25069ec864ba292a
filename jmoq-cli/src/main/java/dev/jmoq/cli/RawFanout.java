package dev.jmoq.cli;

import dev.jmoq.relay.RelayConfig;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.quic.QuicServer;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.transport.webtransport.WebTransportServer;
import dev.jmoq.transport.websocket.WebSocketServer;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The raw fan-out sender: the ruler that relay fan-out is measured against. It listens with the relay's own
 * transports and settings (the same {@link QuicServer} with WebTransport, the same {@link WebSocketServer},
 * the relay's default event loops, idle timeout, handshake timeout and stream limit) for connections that
 * negotiate {@link #ALPN}, and sends every one of them the same frames at a fixed rate: one unidirectional
 * stream per group, each frame written once per connection as one buffer (the FIN on the group's last
 * frame), no MoQ session, no subscription state, no cache. What the relay does beyond this per delivered
 * frame is the relay's own cost.
 *
 * <p>A frame on a stream: a QUIC varint length, then that many bytes: the send instant ({@link System#nanoTime},
 * 8 bytes, comparable across processes on one Linux machine), the frame number (8 bytes, counting from 0 on
 * every connection alike), zeros. A connection that cannot take a frame (stream not writable, or its
 * previous group's stream still waiting for stream credit) loses that group: its stream is reset with
 * {@link #RESET_LAGGING}, so memory stays bounded as in the relay's egress.
 *
 * <p>Thread-safe: connections live on their event loops; the frame clock is one thread of its own.
 */
final class RawFanout implements AutoCloseable {
    /** The private ALPN (and WebSocket subprotocol suffix, WebTransport protocol) of the raw leg. */
    static final String ALPN = "jmoq-fanout";
    /** Reset code of a group a connection could not take. */
    static final long RESET_LAGGING = 1;
    /** Bytes of a frame's payload ahead of the padding: send instant and frame number. */
    static final int STAMP_BYTES = 16;

    private final QuicServer quic;
    private final WebSocketServer webSocket;
    private final Map<EventLoop, LoopTargets> loops = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "raw-fanout-clock");
        t.setDaemon(true);
        return t;
    });
    private final int frameSize;
    private final int framesPerGroup;
    private final boolean oneStream;
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder groupsDropped = new LongAdder();
    private long frameNumber;

    private RawFanout(InetSocketAddress bind, int eventLoops, int frameSize, int framesPerGroup, boolean oneStream) {
        this.frameSize = frameSize;
        this.framesPerGroup = framesPerGroup;
        this.oneStream = oneStream;
        RelayConfig relay = RelayConfig.defaults();
        ServerOptions options = new ServerOptions(bind, ServerCertificate.selfSigned(List.of("127.0.0.1", "localhost")),
                List.of(ALPN), this::accept, eventLoops, relay.idleTimeout().toMillis())
                .withBounds(relay.handshakeTimeout().toMillis(), relay.limits().streamsPerSession(), null);
        this.quic = QuicServer.start(options, new WebTransportServer());
        ServerOptions tcp = new ServerOptions(new InetSocketAddress(bind.getAddress(), quic.port()),
                options.certificates(), options.protocols(), options.acceptor(), eventLoops,
                options.maxIdleTimeoutMillis()).withBounds(options.handshakeTimeoutMillis(), options.maxStreams(),
                options.stats());
        try {
            this.webSocket = WebSocketServer.start(tcp, (ChannelHandler) null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            quic.close();
            throw new IllegalStateException("interrupted while binding the TCP listener", e);
        } catch (Exception e) { // a bind failure comes as a (sneaky) IOException
            quic.close();
            throw new IllegalStateException("cannot bind TCP " + tcp.bind() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Listens on {@code bind} (UDP for raw QUIC and WebTransport, TCP on the same port for WebSocket) and
     * sends {@code fps} frames a second of {@code frameSize} bytes (at least {@link #STAMP_BYTES}),
     * {@code framesPerGroup} to a group, to every connection from the moment it is established.
     *
     * @param eventLoops as the relay's {@code server.event_loops}: 0 for one per core
     * @param oneStream  every frame on one long-lived stream per connection instead of a stream per group
     *                   (what a stream per group costs: compare the two)
     */
    static RawFanout start(InetSocketAddress bind, int eventLoops, double fps, int frameSize, int framesPerGroup,
            boolean oneStream) {
        if (fps <= 0 || frameSize < STAMP_BYTES || framesPerGroup < 1) {
            throw new IllegalArgumentException("fps must be positive, frameSize at least " + STAMP_BYTES
                    + ", framesPerGroup at least 1");
        }
        RawFanout f = null;
        // With port 0 the UDP port is picked first and TCP binds the same number, which may be taken: retry.
        for (int attempt = 1; f == null; attempt++) {
            try {
                f = new RawFanout(bind, eventLoops, frameSize, framesPerGroup, oneStream);
            } catch (RuntimeException e) {
                if (bind.getPort() != 0 || attempt >= 5) {
                    throw e;
                }
            }
        }
        long period = Math.max(1, (long) (1e9 / fps));
        f.clock.scheduleAtFixedRate(f::tick, period, period, TimeUnit.NANOSECONDS);
        return f;
    }

    /** The bound port (UDP and TCP). */
    int port() {
        return quic.port();
    }

    /** Frames written so far, summed over connections. */
    long framesSent() {
        return framesSent.sum();
    }

    /** Groups a connection could not take (reset or skipped), summed over connections. */
    long groupsDropped() {
        return groupsDropped.sum();
    }

    /** Connections open now. */
    int connections() {
        int n = 0;
        for (LoopTargets t : loops.values()) {
            n += t.size;
        }
        return n;
    }

    private void accept(MoqConnection connection) {
        LoopTargets targets = loops.computeIfAbsent(connection.eventLoop(), LoopTargets::new);
        Target t = new Target(connection);
        targets.add(t);
        connection.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.stopSending(0);
                stream.reset(0);
            }

            @Override
            public void onUniStream(RecvStream stream) {
                stream.stopSending(0);
            }

            @Override
            public void onClosed(long code, String reason) {
                targets.remove(t);
                t.close();
            }
        });
    }

    /** On the clock: one frame, handed to every event loop that has connections. */
    private void tick() {
        long n = frameNumber++;
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(VarInt.size(frameSize) + frameSize);
        VarInt.write(frame, frameSize);
        frame.writeLong(System.nanoTime());
        frame.writeLong(n);
        frame.writeZero(frameSize - STAMP_BYTES);
        try {
            for (LoopTargets targets : loops.values()) {
                ByteBuf mine = frame.retainedDuplicate();
                try {
                    targets.loop.execute(() -> targets.send(mine, n));
                } catch (RuntimeException e) {
                    mine.release(); // the loop is shutting down
                }
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
        try {
            clock.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        webSocket.close();
        quic.close();
    }

    /** The connections of one event loop; touched on that loop only (size is read anywhere, loosely). */
    private final class LoopTargets {
        final EventLoop loop;
        private final List<Target> targets = new ArrayList<>();
        volatile int size;

        LoopTargets(EventLoop loop) {
            this.loop = loop;
        }

        void add(Target t) {
            targets.add(t);
            size = targets.size();
        }

        void remove(Target t) {
            targets.remove(t);
            size = targets.size();
        }

        /** Writes frame {@code n} to every connection of this loop; releases {@code frame}. */
        void send(ByteBuf frame, long n) {
            try {
                for (int i = 0; i < targets.size(); i++) {
                    targets.get(i).send(frame, n);
                }
            } finally {
                frame.release();
            }
        }
    }

    /** One connection's sending state; its loop only. */
    private final class Target {
        private final MoqConnection connection;
        /** The current group's stream: null before it opened, or after the group ended or was dropped. */
        private SendStream stream;
        /** The current group's stream while it waits for stream credit, and the frames that came meanwhile. */
        private Future<SendStream> opening;
        private final java.util.ArrayDeque<ByteBuf> waiting = new java.util.ArrayDeque<>();
        private boolean waitingEnds;
        /** The current group is lost for this connection: its remaining frames are skipped. */
        private boolean dropped;

        Target(MoqConnection connection) {
            this.connection = connection;
        }

        /** Frame {@code n} (borrowed: retained for what is written). */
        void send(ByteBuf frame, long n) {
            if (!connection.isOpen()) {
                return;
            }
            boolean last = !oneStream && (n + 1) % framesPerGroup == 0;
            if (oneStream ? stream == null && opening == null : n % framesPerGroup == 0) {
                startGroup();
            }
            if (dropped) {
                return;
            }
            if (opening != null) {
                waiting.add(frame.retainedDuplicate()); // at most one group's frames
                waitingEnds = last;
                return;
            }
            write(frame.retainedDuplicate(), last);
        }

        /** Writes one frame (owned) to the current stream, or drops the group when it cannot take it. */
        private void write(ByteBuf frame, boolean last) {
            if (stream == null || !stream.isWritable() || stream.isClosed()) {
                frame.release();
                drop();
                return;
            }
            SendStream s = stream;
            if (last) {
                s.writeAndFinish(frame); // the FIN rides on the last frame, as in the relay's egress
                stream = null;
            } else {
                s.write(frame);
            }
            s.flush();
            framesSent.increment();
        }

        private void startGroup() {
            if (opening != null) {
                // The previous group never got a stream: it is lost, and its open withdrawn.
                Future<SendStream> f = opening;
                opening = null;
                f.cancel(false);
                drop();
            }
            if (stream != null) {
                stream.finish(); // a group cut short (never in a run: frames per group is fixed)
                stream = null;
            }
            dropped = false;
            Future<SendStream> f = connection.openUni();
            if (f.isDone()) {
                if (f.isSuccess()) {
                    stream = f.getNow();
                } else {
                    drop();
                }
                return;
            }
            opening = f;
            f.addListener(done -> {
                if (opening != f) {
                    if (done.isSuccess()) {
                        f.getNow().reset(RESET_LAGGING); // given up meanwhile
                    }
                    return;
                }
                opening = null;
                if (!done.isSuccess()) {
                    drop();
                    return;
                }
                stream = f.getNow();
                while (!waiting.isEmpty()) {
                    ByteBuf b = waiting.poll();
                    write(b, waiting.isEmpty() && waitingEnds);
                }
            });
        }

        private void drop() {
            releaseWaiting();
            if (!dropped) {
                dropped = true;
                groupsDropped.increment();
            }
            if (stream != null) {
                stream.reset(RESET_LAGGING);
                stream = null;
            }
        }

        private void releaseWaiting() {
            ByteBuf b;
            while ((b = waiting.poll()) != null) {
                b.release();
            }
            waitingEnds = false;
        }

        void close() {
            if (opening != null) {
                opening.cancel(false);
                opening = null;
            }
            releaseWaiting();
            stream = null;
        }
    }
}
