package dev.jmoq.transport.quic;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamPriority;
import io.netty.handler.codec.quic.QuicStreamRelease;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * One QUIC stream as a {@link BidiStream} (a unidirectional stream uses only its one half). It is also the
 * stream channel's inbound handler: received bytes go to the reader (or wait for one), FIN and resets are
 * reported once, writability changes wake the writer.
 *
 * <p>Threading: the stream's event loop. Buffers: written buffers belong to the channel; received buffers
 * belong to the reader once delivered, and are released here if never delivered.
 *
 * <p>FIN is sent as a FIN-carrying frame queued behind earlier writes (never {@code shutdownOutput()},
 * which fails writes still queued and would cut the tail of a group).
 *
 * <p>Lifetime: the stream channel is closed, and forgotten by its connection, once each half it has is done:
 * the receive half when its FIN or reset was handed to the reader (or we sent STOP_SENDING), the send half
 * when its FIN left or it was reset. Netty 4.2.18 closes a stream by itself only after a FIN each way (or
 * the FIN of a locally opened unidirectional stream), so a received group stream, whose FIN is all the
 * peer sends and which has no send half, stayed open, with its reader and the group behind it, for the life
 * of the connection; so did every stream ended by a reset. {@link QuicStreamRelease} removes the closed
 * channels Netty's connection would keep.
 */
public final class QuicStream extends ChannelInboundHandlerAdapter implements BidiStream {
    private final QuicStreamChannel channel;
    /** The stream has a receive half (not a unidirectional stream we opened). */
    private final boolean canRecv;
    /** The stream has a send half (not a unidirectional stream the peer opened). */
    private final boolean canSend;
    /** The receive half is over and the reader was told (or we asked the peer to stop). */
    private boolean inputEnded;
    /** The send half is over: its FIN left, or it was reset. */
    private boolean outputEnded;
    private StreamReader reader;
    private ArrayDeque<ByteBuf> pending;
    private boolean inputDone;
    private boolean pendingFin;
    private long pendingReset = Long.MIN_VALUE;
    /** {@link #setReader} is handing queued data over: arrivals queue behind it, so order holds. */
    private boolean handingOver;
    private boolean outputDone;
    private Runnable onWritable;
    private LongConsumer onClosed;
    private boolean closedNotified;
    /** {@link #setPriority} was called, or the default urgency 0 was applied at the first write. */
    private boolean prioritized;

    QuicStream(QuicStreamChannel channel) {
        this.channel = channel;
        boolean uni = channel.type() == QuicStreamType.UNIDIRECTIONAL;
        this.canRecv = !(uni && channel.isLocalCreated());
        this.canSend = !(uni && !channel.isLocalCreated());
    }

    /**
     * Counts this stream in {@code stats}' open MoQ streams of {@code kind} until its channel closes. Call
     * once, when the stream is handed to the MoQ layer; a null {@code stats} counts nothing.
     */
    public QuicStream countIn(TransportStats stats, TransportKind kind) {
        if (stats == null) {
            return this;
        }
        TransportStats.StreamDirection direction = channel.isLocalCreated()
                ? TransportStats.StreamDirection.OUT : TransportStats.StreamDirection.IN;
        boolean uni = channel.type() == QuicStreamType.UNIDIRECTIONAL;
        stats.streamOpened(kind, direction, uni);
        channel.closeFuture().addListener(f -> stats.streamClosed(kind, direction, uni));
        return this;
    }

    /**
     * Wraps a stream whose first bytes a protocol layer already read (WebTransport's stream prefix):
     * installs the wrapper at the end of the pipeline and queues {@code leftover} (ownership taken) as the
     * first data the reader will see, followed by FIN when {@code finished}.
     */
    public static QuicStream adopt(QuicStreamChannel channel, ByteBuf leftover, boolean finished) {
        QuicMoqConnection.configure(channel);
        QuicStream s = new QuicStream(channel);
        if (leftover != null && leftover.isReadable()) {
            s.pending = new ArrayDeque<>();
            s.pending.add(leftover);
        } else if (leftover != null) {
            leftover.release();
        }
        if (finished) {
            s.inputDone = true;
            s.pendingFin = true;
        }
        channel.pipeline().addLast(s);
        return s;
    }

    /**
     * Opens a stream on {@code connection} and wraps it; the future completes on its event loop. The stream
     * is opened within the peer's stream credit: while it is used up the request waits (see
     * {@link QuicStreamOpener}); cancelling the returned future withdraws a request that still waits.
     */
    public static io.netty.util.concurrent.Future<QuicStream> open(io.netty.handler.codec.quic.QuicChannel connection,
            io.netty.handler.codec.quic.QuicStreamType type) {
        io.netty.util.concurrent.Promise<QuicStream> result = connection.eventLoop().newPromise();
        io.netty.util.concurrent.Promise<QuicStreamChannel> opening = connection.eventLoop().newPromise();
        QuicStream[] holder = new QuicStream[1];
        ChannelInboundHandlerAdapter init = new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                QuicStreamChannel ch = (QuicStreamChannel) ctx.channel();
                QuicMoqConnection.configure(ch);
                QuicStream stream = new QuicStream(ch);
                holder[0] = stream;
                ctx.pipeline().replace(this, null, stream);
            }
        };
        opening.addListener(f -> {
            if (f.isSuccess()) {
                if (!result.trySuccess(holder[0])) {
                    holder[0].abandon(); // withdrawn as it opened: end the stream nobody will use
                }
            } else if (!f.isCancelled()) {
                result.tryFailure(f.cause());
            }
        });
        result.addListener(f -> {
            if (f.isCancelled()) {
                opening.cancel(false);
            }
        });
        Runnable request = () -> QuicStreamOpener.open(connection, type, init, opening);
        if (connection.eventLoop().inEventLoop()) {
            request.run();
        } else {
            connection.eventLoop().execute(request);
        }
        return result;
    }

    public QuicStreamChannel channel() {
        return channel;
    }

    /** Ends a stream nobody will use: both halves it has (reset, STOP_SENDING), so its channel closes. */
    public void abandon() {
        if (canRecv) {
            stopSending(0);
        }
        if (canSend) {
            reset(0);
        }
    }

    // ---- send half -------------------------------------------------------------------------

    @Override
    public void write(ByteBuf data) {
        if (outputDone) {
            data.release();
            return;
        }
        defaultPriority();
        channel.write(data, channel.voidPromise());
    }

    /**
     * A stream never given a priority (control streams, requests and their answers) is sent at urgency 0,
     * ahead of every ranked data stream (1 to 7), as on qmux; quiche's own default (127, incremental) would
     * put it behind them all. Applied at the first write, so ranked streams pay one priority update, not two.
     */
    private void defaultPriority() {
        if (!prioritized) {
            prioritized = true;
            if (channel.isActive()) {
                channel.updatePriority(new QuicStreamPriority(CONTROL_URGENCY, false));
            }
        }
    }

    /** Urgency of streams never given a priority. */
    static final int CONTROL_URGENCY = 0;

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void writeAndFinish(ByteBuf data) {
        if (outputDone) {
            data.release();
            return;
        }
        outputDone = true;
        defaultPriority();
        channel.writeAndFlush(new DefaultQuicStreamFrame(data, true), finPromise());
    }

    @Override
    public void finish() {
        if (outputDone) {
            return;
        }
        outputDone = true;
        channel.writeAndFlush(QuicStreamFrame.EMPTY_FIN, finPromise());
    }

    /** The FIN's write: once it left (or failed: the stream was stopped or closed) the send half is over. */
    private io.netty.channel.ChannelPromise finPromise() {
        io.netty.channel.ChannelPromise p = channel.newPromise();
        p.addListener(f -> outputEnded());
        return p;
    }

    @Override
    public void reset(long code) {
        if (outputDone && channel.isOutputShutdown()) {
            return;
        }
        outputDone = true;
        if (channel.isActive()) {
            channel.shutdownOutput((int) code);
        }
        outputEnded();
    }

    @Override
    public boolean isWritable() {
        return !outputDone && channel.isWritable();
    }

    @Override
    public long bytesBeforeUnwritable() {
        return outputDone ? 0 : channel.bytesBeforeUnwritable();
    }

    @Override
    public void onWritable(Runnable callback) {
        this.onWritable = callback;
    }

    @Override
    public void setPriority(int urgency) {
        prioritized = true;
        if (channel.isActive()) {
            channel.updatePriority(new QuicStreamPriority(Math.max(0, Math.min(7, urgency)), false));
        }
    }

    @Override
    public void onClosed(LongConsumer callback) {
        this.onClosed = callback;
        if (!channel.isActive()) {
            notifyClosed(-1);
        }
    }

    @Override
    public boolean isClosed() {
        return outputDone || !channel.isActive();
    }

    @Override
    public long id() {
        return channel.streamId();
    }

    // ---- receive half ----------------------------------------------------------------------

    /**
     * Sets the reader and hands it what arrived before it: queued data, then the FIN or reset. The reader may,
     * inside that hand-over, stop the stream (the session's group ingest does, for a group it refuses: too
     * old, a duplicate, an unknown subscription) or set another reader: what is still queued then goes to the
     * reader current at that moment, once and in order, and nothing after a stop. Data that arrives during the
     * hand-over queues behind it. A null reader leaves what is queued for the next one. A reader that throws
     * ends the receive half (what is queued is released, the peer asked to stop) and the exception goes on to
     * the caller.
     */
    @Override
    public void setReader(StreamReader reader) {
        this.reader = reader;
        if (handingOver || reader == null) {
            return; // nested: the hand-over below goes on with this reader
        }
        handingOver = true;
        try {
            ByteBuf b;
            while (this.reader != null && pending != null && (b = pending.poll()) != null) {
                this.reader.onData(b);
            }
            if (this.reader == null) {
                return; // unset inside the hand-over: the rest waits for the next reader
            }
            pending = null;
            if (inputEnded) {
                return; // stopped inside the hand-over: the reader is told nothing more
            }
            if (pendingFin) {
                pendingFin = false;
                try {
                    this.reader.onFinish();
                } finally {
                    inputEnded();
                }
            } else if (pendingReset != Long.MIN_VALUE) {
                long code = pendingReset;
                pendingReset = Long.MIN_VALUE;
                try {
                    this.reader.onReset(code);
                } finally {
                    inputEnded();
                }
            }
        } catch (RuntimeException | Error e) {
            pendingFin = false;
            pendingReset = Long.MIN_VALUE;
            stopSending(0);
            throw e;
        } finally {
            handingOver = false;
        }
    }

    @Override
    public void stopSending(long code) {
        if (!inputDone && channel.isActive()) {
            inputDone = true;
            channel.shutdownInput((int) code);
        }
        inputDone = true;
        releasePending();
        inputEnded();
    }

    @Override
    public void setAutoRead(boolean autoRead) {
        channel.config().setAutoRead(autoRead);
    }

    // ---- channel events --------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data;
        boolean fin = false;
        if (msg instanceof QuicStreamFrame frame) {
            data = frame.content();
            fin = frame.hasFin();
        } else if (msg instanceof ByteBuf b) {
            data = b;
        } else {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (inputDone) {
            data.release();
            return;
        }
        if (data.isReadable()) {
            if (reader != null && !handingOver) {
                reader.onData(data);
            } else {
                if (pending == null) {
                    pending = new ArrayDeque<>();
                }
                pending.add(data);
            }
        } else {
            data.release();
        }
        if (fin) {
            inputFinished();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownReadComplete || evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            inputFinished();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void inputFinished() {
        if (inputDone) {
            return;
        }
        inputDone = true;
        if (reader != null && !handingOver) {
            try {
                reader.onFinish();
            } finally {
                inputEnded();
            }
        } else {
            pendingFin = true;
        }
    }

    private void inputReset(long code) {
        if (inputDone) {
            return;
        }
        inputDone = true;
        if (reader != null && !handingOver) {
            try {
                reader.onReset(code);
            } finally {
                inputEnded();
            }
        } else {
            pendingReset = code;
        }
    }

    private void inputEnded() {
        inputEnded = true;
        closeWhenDone();
    }

    private void outputEnded() {
        outputEnded = true;
        closeWhenDone();
    }

    /** Both halves the stream has are over: close the channel and make its connection forget it. */
    private void closeWhenDone() {
        if ((canRecv && !inputEnded) || (canSend && !outputEnded) || !channel.isActive()) {
            return;
        }
        channel.close().addListener(f -> QuicStreamRelease.forget(channel));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof QuicStreamResetException reset) {
            inputReset(reset.applicationProtocolCode());
        } else {
            // A failed write (the peer's STOP_SENDING, a closed connection): the stream is broken both ways.
            inputReset(-1);
            outputDone = true;
            notifyClosed(-1);
            outputEnded();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && onWritable != null) {
            onWritable.run();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inputReset(-1);
        outputDone = true;
        if (pendingFin && pending != null && !pending.isEmpty()) {
            // Bytes still waiting for a reader are lost with the channel: not a clean end for the reader.
            pendingFin = false;
            pendingReset = -1;
        }
        releasePending();
        notifyClosed(-1);
        ctx.fireChannelInactive();
    }

    private void releasePending() {
        if (pending != null) {
            for (ByteBuf b : pending) {
                b.release();
            }
            pending = null;
        }
    }

    private void notifyClosed(long code) {
        if (!closedNotified && onClosed != null) {
            closedNotified = true;
            onClosed.accept(code);
        }
    }

    /** An empty buffer for callers that need one without allocating. */
    static ByteBuf empty() {
        return Unpooled.EMPTY_BUFFER;
    }
}
