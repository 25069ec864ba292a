package dev.jmoq.transport.websocket;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * One stream of a {@link QmuxConnection}: a bidi stream, or one half of a uni stream (then only the
 * {@link dev.jmoq.transport.SendStream} or {@link dev.jmoq.transport.RecvStream} view is handed out).
 *
 * <p>Concurrency: not thread-safe; used only on the connection's event loop.
 *
 * <p>Buffers: {@link #write} takes ownership of the caller's buffer; it is sent as retained slices and released
 * once fully sent, or on reset or close. Received payloads are retained slices of the inbound message, handed
 * to the {@link StreamReader}, which owns them; undelivered ones (no reader yet, or auto-read off) are held
 * here, bounded by the receive window, and released on stop, reset or close.
 */
final class QmuxStream implements BidiStream {
    enum SendResult { MORE, DONE, CONNECTION_BLOCKED }

    private final QmuxConnection conn;
    private final long id;
    private final boolean bidi;
    private final boolean remote;
    private final boolean canSend;
    private final boolean canRecv;

    // Send half.
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long sendOffset;
    private long sendMax;
    private boolean finQueued;
    private boolean finSent;
    private boolean resetSent;
    private boolean stopped;
    private boolean sendDone;
    /** Streams never given a priority (control streams, requests, answers) go first: see QuicStream. */
    private int urgency = 0;
    boolean inReadyQueue;
    /** Where the stream table counted this stream as open (null: not counted); cleared when it leaves. */
    dev.jmoq.transport.TransportStats counted;
    private Runnable onWritable;
    private LongConsumer onClosed;

    // Receive half.
    private StreamReader reader;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private long recvOffset;
    private long recvMax;
    private long recvWindow;
    private long recvConsumed;
    private boolean autoRead = true;
    private boolean finReceived;
    private boolean resetReceived;
    private long resetCode;
    private boolean stopSent;
    private boolean recvDone;
    private boolean recvNotified;

    QmuxStream(QmuxConnection conn, long id, boolean bidi, boolean remote) {
        this.conn = conn;
        this.id = id;
        this.bidi = bidi;
        this.remote = remote;
        this.canSend = bidi || !remote;
        this.canRecv = bidi || remote;
        this.sendDone = !canSend;
        this.recvDone = !canRecv;
    }

    void initWindows(long send, long recv) {
        sendMax = send;
        recvMax = recv;
        recvWindow = recv;
    }

    boolean isBidi() {
        return bidi;
    }

    boolean isLocal() {
        return !remote;
    }

    /** The event loop of the owning connection. */
    io.netty.channel.EventLoop connLoop() {
        return conn.eventLoop();
    }

    int urgency() {
        return urgency;
    }

    @Override
    public long id() {
        return id;
    }

    // ---- SendStream ----

    @Override
    public void write(ByteBuf data) {
        if (!canSend || finQueued || resetSent || stopped || conn.isClosed()) {
            data.release();
            return;
        }
        if (!data.isReadable()) {
            data.release();
            return;
        }
        queue.add(data);
        queuedBytes += data.readableBytes();
        conn.scheduler().markReady(this);
        if (!isWritable()) {
            conn.scheduler().waitWritable(this);
        }
    }

    @Override
    public void flush() {
        conn.scheduler().pump();
    }

    @Override
    public void writeAndFinish(ByteBuf data) {
        write(data);
        finish();
    }

    @Override
    public void finish() {
        if (!canSend || finQueued || resetSent || stopped || conn.isClosed()) {
            return;
        }
        finQueued = true;
        conn.scheduler().markReady(this);
        conn.scheduler().pump();
    }

    @Override
    public void reset(long code) {
        if (!canSend || finSent || resetSent || stopped || conn.isClosed()) {
            return;
        }
        resetSent = true;
        dropQueue();
        conn.sendControl(new Frame.ResetStream(id, code, sendOffset));
        markSendDone();
    }

    @Override
    public boolean isWritable() {
        boolean writable = room() > 0 && conn.socketWritable();
        if (!writable && canSend && !isClosed()) {
            conn.scheduler().waitWritable(this);
        }
        return writable;
    }

    @Override
    public long bytesBeforeUnwritable() {
        return isWritable() ? room() : 0;
    }

    /** Bytes that fit within stream credit, connection credit and the local queue bound, minus what is queued. */
    private long room() {
        if (!canSend || finQueued || resetSent || stopped || conn.isClosed()) {
            return 0;
        }
        long credit = Math.min(Math.min(sendMax - sendOffset, conn.connectionCredit()), conn.settings().maxQueuedBytes());
        return credit - queuedBytes;
    }

    @Override
    public void onWritable(Runnable callback) {
        this.onWritable = callback;
    }

    void fireWritable() {
        if (onWritable != null) {
            onWritable.run();
        }
    }

    @Override
    public void setPriority(int urgency) {
        int previous = this.urgency;
        this.urgency = Math.clamp(urgency, 0, 7);
        if (previous != this.urgency && inReadyQueue) {
            conn.scheduler().requeue(this, previous); // data already queued moves with the stream's new urgency
        }
    }

    @Override
    public void onClosed(LongConsumer callback) {
        this.onClosed = callback;
    }

    @Override
    public boolean isClosed() {
        return !canSend || finQueued || resetSent || stopped || conn.isClosed();
    }

    /** Sends at most one frame; the connection calls this while the socket is writable. */
    SendResult sendOne() {
        if (sendDone) {
            return SendResult.DONE;
        }
        if (queue.isEmpty()) {
            if (finQueued && !finSent) {
                finSent = true;
                conn.out().writeStreamFrame(id, sendOffset, io.netty.buffer.Unpooled.EMPTY_BUFFER, true);
                markSendDone();
            }
            return SendResult.DONE;
        }
        long streamCredit = sendMax - sendOffset;
        if (streamCredit <= 0) {
            return SendResult.DONE; // back in the ready queue on MAX_STREAM_DATA
        }
        long connCredit = conn.connectionCredit();
        if (connCredit <= 0) {
            return SendResult.CONNECTION_BLOCKED;
        }
        ByteBuf head = queue.peek();
        int n = (int) Math.min(Math.min(head.readableBytes(), conn.out().maxPayload(id, sendOffset)),
                Math.min(streamCredit, connCredit));
        ByteBuf slice = head.readRetainedSlice(n);
        if (!head.isReadable()) {
            queue.poll();
            head.release();
        }
        queuedBytes -= n;
        boolean fin = queue.isEmpty() && finQueued;
        conn.out().writeStreamFrame(id, sendOffset, slice, fin);
        sendOffset += n;
        if (fin) {
            finSent = true;
            markSendDone();
            return SendResult.DONE;
        }
        if (queue.isEmpty()) {
            return finQueued ? SendResult.MORE : SendResult.DONE;
        }
        return sendMax > sendOffset ? SendResult.MORE : SendResult.DONE;
    }

    void onMaxStreamData(long max) {
        if (max > sendMax) {
            sendMax = max;
            if (!queue.isEmpty() || (finQueued && !finSent)) {
                conn.scheduler().markReady(this);
            }
            conn.scheduler().pump();
        }
    }

    void onStopSending(long code) {
        if (sendDone) {
            return;
        }
        stopped = true;
        dropQueue();
        // RFC 9000 section 3.5: answer STOP_SENDING with RESET_STREAM, echoing the code.
        conn.sendControl(new Frame.ResetStream(id, code, sendOffset));
        markSendDone();
        if (onClosed != null) {
            onClosed.accept(code);
        }
    }

    private void dropQueue() {
        for (ByteBuf b : queue) {
            b.release();
        }
        queue.clear();
        queuedBytes = 0;
    }

    private void markSendDone() {
        if (!sendDone) {
            sendDone = true;
            if (recvDone) {
                conn.onStreamDone(this);
            }
        }
    }

    // ---- RecvStream ----

    @Override
    public void setReader(StreamReader reader) {
        this.reader = reader;
        drain();
    }

    @Override
    public void stopSending(long code) {
        if (!canRecv || stopSent || recvNotified || conn.isClosed()) {
            return;
        }
        stopSent = true;
        long discarded = releasePending();
        conn.onConsumed(discarded);
        conn.sendControl(new Frame.StopSending(id, code));
    }

    @Override
    public void setAutoRead(boolean autoRead) {
        this.autoRead = autoRead;
        if (autoRead) {
            drain();
        }
    }

    /** Takes ownership of {@code data}. */
    void onStreamFrame(long offset, ByteBuf data, boolean fin) throws ProtocolException {
        int n = data.readableBytes();
        try {
            if (finReceived || resetReceived) {
                if (n > 0 || offset > recvOffset) {
                    throw new ProtocolException(TransportError.FINAL_SIZE_ERROR, "data after the end of stream " + id, true);
                }
                data.release();
                return;
            }
            if (offset >= 0 && offset != recvOffset) {
                throw new ProtocolException(TransportError.PROTOCOL_VIOLATION,
                        "STREAM " + id + " at offset " + offset + ", expected " + recvOffset, true);
            }
            if (recvOffset + n > recvMax) {
                throw new ProtocolException(TransportError.FLOW_CONTROL_ERROR,
                        "peer sent " + (recvOffset + n) + " bytes on stream " + id + ", beyond MAX_STREAM_DATA " + recvMax, true);
            }
            conn.onReceived(n);
        } catch (ProtocolException | RuntimeException e) {
            data.release();
            throw e;
        }
        recvOffset += n;
        if (stopSent || n == 0) {
            data.release();
            conn.onConsumed(n);
        } else {
            pending.add(data);
        }
        if (fin) {
            finReceived = true;
        }
        drain();
    }

    void onReset(long code, long finalSize) throws ProtocolException {
        if (finReceived && finalSize != 0 && finalSize != recvOffset) {
            throw new ProtocolException(TransportError.FINAL_SIZE_ERROR, "RESET_STREAM final size changed on stream " + id, true);
        }
        if (resetReceived || recvNotified) {
            return;
        }
        // Older peers send final size 0: never let a reset undo bytes already counted.
        long size = Math.max(finalSize, recvOffset);
        if (size > recvMax) {
            throw new ProtocolException(TransportError.FLOW_CONTROL_ERROR, "RESET_STREAM final size beyond the window", true);
        }
        long gap = size - recvOffset;
        conn.onReceived(gap);
        recvOffset = size;
        conn.onConsumed(gap + releasePending());
        resetReceived = true;
        resetCode = code;
        drain();
    }

    /** Delivers what the reader may take now, then the end of stream, and replenishes credit. */
    private void drain() {
        if (reader == null) {
            if (stopSent && (finReceived || resetReceived) && !recvNotified) {
                recvNotified = true; // stopped before any reader was set: nobody to tell, but the half is done
                markRecvDone();
            }
            return;
        }
        while (autoRead && !pending.isEmpty()) {
            ByteBuf b = pending.poll();
            int n = b.readableBytes();
            reader.onData(b);
            consumed(n);
            if (conn.isClosed()) {
                return;
            }
        }
        if (pending.isEmpty() && !recvNotified) {
            if (resetReceived) {
                recvNotified = true;
                reader.onReset(resetCode);
                markRecvDone();
            } else if (finReceived && autoRead) {
                recvNotified = true;
                reader.onFinish();
                markRecvDone();
            }
        }
    }

    private void consumed(int n) {
        recvConsumed += n;
        long next = ConnectionFlow.replenish(recvConsumed, recvMax, recvWindow);
        if (next > 0 && conn.wire().isQmux() && !finReceived) {
            recvMax = next;
            conn.sendControl(new Frame.MaxStreamData(id, next));
        }
        conn.onConsumed(n);
    }

    private long releasePending() {
        long n = 0;
        for (ByteBuf b : pending) {
            n += b.readableBytes();
            b.release();
        }
        pending.clear();
        return n;
    }

    private void markRecvDone() {
        if (!recvDone) {
            recvDone = true;
            if (sendDone) {
                conn.onStreamDone(this);
            }
        }
    }

    /** The connection ended: release everything and tell the reader and the sender's close callback. */
    void onConnectionClosed() {
        dropQueue();
        releasePending();
        if (canRecv && !recvNotified) {
            recvNotified = true;
            if (reader != null) {
                reader.onReset(-1);
            }
        }
        if (canSend && !sendDone) {
            sendDone = true;
            if (onClosed != null) {
                onClosed.accept(-1);
            }
        }
    }

    @Override
    public String toString() {
        return "QmuxStream[id=" + id + "]";
    }
}
