package dev.jmoq.transport.quic;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.StreamReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamPriority;
import io.netty.handler.codec.quic.QuicStreamResetException;
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
 */
public final class QuicStream extends ChannelInboundHandlerAdapter implements BidiStream {
    private final QuicStreamChannel channel;
    private StreamReader reader;
    private ArrayDeque<ByteBuf> pending;
    private boolean inputDone;
    private boolean pendingFin;
    private long pendingReset = Long.MIN_VALUE;
    private boolean outputDone;
    private Runnable onWritable;
    private LongConsumer onClosed;
    private boolean closedNotified;

    QuicStream(QuicStreamChannel channel) {
        this.channel = channel;
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
                    holder[0].reset(0); // withdrawn as it opened: end the stream nobody will use
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

    // ---- send half -------------------------------------------------------------------------

    @Override
    public void write(ByteBuf data) {
        if (outputDone) {
            data.release();
            return;
        }
        channel.write(data, channel.voidPromise());
    }

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
        channel.writeAndFlush(new DefaultQuicStreamFrame(data, true), channel.voidPromise());
    }

    @Override
    public void finish() {
        if (outputDone) {
            return;
        }
        outputDone = true;
        channel.writeAndFlush(QuicStreamFrame.EMPTY_FIN, channel.voidPromise());
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

    @Override
    public void setReader(StreamReader reader) {
        this.reader = reader;
        if (pending != null) {
            ByteBuf b;
            while ((b = pending.poll()) != null) {
                reader.onData(b);
            }
            pending = null;
        }
        if (pendingFin) {
            reader.onFinish();
        } else if (pendingReset != Long.MIN_VALUE) {
            reader.onReset(pendingReset);
        }
    }

    @Override
    public void stopSending(long code) {
        if (!inputDone && channel.isActive()) {
            inputDone = true;
            channel.shutdownInput((int) code);
        }
        inputDone = true;
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
            if (reader != null) {
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
        if (reader != null) {
            reader.onFinish();
        } else {
            pendingFin = true;
        }
    }

    private void inputReset(long code) {
        if (inputDone) {
            return;
        }
        inputDone = true;
        if (reader != null) {
            reader.onReset(code);
        } else {
            pendingReset = code;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof QuicStreamResetException reset) {
            inputReset(reset.applicationProtocolCode());
        } else {
            inputReset(-1);
            notifyClosed(-1);
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
        if (pending != null) {
            for (ByteBuf b : pending) {
                b.release();
            }
            pending = null;
        }
        notifyClosed(-1);
        ctx.fireChannelInactive();
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
