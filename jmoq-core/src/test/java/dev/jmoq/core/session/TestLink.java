package dev.jmoq.core.session;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A connection to a peer over a link the test drives, with what a QUIC stack does that egress policy
 * depends on: a limit on concurrent unidirectional streams (the peer's MAX_STREAMS; requests beyond it
 * wait, and a request cancelled while waiting costs no stream), per-stream urgency, and a link that
 * carries queued stream data only when the test calls {@link #deliverNext()}, picking as quiche does:
 * lowest urgency first, lowest stream id among equals. A stream returns its credit once the peer has
 * read it to its end (delivered with its FIN) or it was reset.
 *
 * <p>Public for the protocol families' tests (moq-lite-05 pass-through and FETCH). Every method runs on the loop. Written buffers are copied and released at once.
 */
public final class TestLink implements MoqConnection {
    private final EventLoop loop;
    private int credit;
    private int open;
    private long nextId;
    boolean writable = true;
    public final List<Stream> streams = new ArrayList<>();
    final ArrayDeque<Promise<SendStream>> waiting = new ArrayDeque<>();
    /** Group sequences in the order the peer received their streams' first bytes. */
    final List<Long> received = new ArrayList<>();
    /** Group sequences whose stream the peer read to its FIN. */
    final List<Long> completed = new ArrayList<>();
    int streamsOpened;
    /** Requests cancelled while they waited, skipped without spending a stream. */
    int withdrawn;
    /** Runs inside every stream write, after the data is queued: a transport that reacts from within a write. */
    Runnable onWrite = () -> { };

    public TestLink(EventLoop loop, int credit) {
        this.loop = loop;
        this.credit = credit;
    }

    /** One unidirectional stream: what was written and not yet carried, its urgency and how it ended. */
    public final class Stream implements SendStream {
        final long id = nextId++;
        public final ByteBuf queued = Unpooled.buffer();
        public final ByteBuf carried = Unpooled.buffer();
        int urgency = 3;
        public boolean finished;
        public long resetCode = -1;
        boolean creditReturned;
        long sequence = -1;
        Runnable onWritable = () -> { };

        @Override
        public void write(ByteBuf data) {
            if (finished || resetCode >= 0) {
                data.release();
                return;
            }
            queued.writeBytes(data);
            data.release();
            onWrite.run();
        }

        @Override
        public void flush() {
        }

        @Override
        public void writeAndFinish(ByteBuf data) {
            write(data);
            finished = true;
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public void reset(long code) {
            if (resetCode < 0 && !(finished && !queued.isReadable() && creditReturned)) {
                resetCode = code;
                queued.clear();
                returnCredit(this);
            }
        }

        @Override
        public boolean isWritable() {
            return writable && !finished && resetCode < 0;
        }

        @Override
        public long bytesBeforeUnwritable() {
            return isWritable() ? 1 << 20 : 0;
        }

        @Override
        public void onWritable(Runnable callback) {
            onWritable = callback;
        }

        @Override
        public void setPriority(int urgency) {
            this.urgency = urgency;
        }

        @Override
        public void onClosed(LongConsumer callback) {
        }

        @Override
        public boolean isClosed() {
            return resetCode >= 0;
        }

        @Override
        public long id() {
            return id;
        }

        boolean hasData() {
            return resetCode < 0 && (queued.isReadable() || (finished && !creditReturned));
        }
    }

    /**
     * Carries the queued data of the most urgent stream (lowest urgency, then lowest id) to the peer, which
     * reads it; a stream finished with all its data delivered returns its credit. False when nothing waits.
     */
    boolean deliverNext() {
        Stream best = null;
        for (Stream s : streams) {
            if (s.hasData() && (best == null || s.urgency < best.urgency)) {
                best = s;
            }
        }
        if (best == null) {
            return false;
        }
        if (best.queued.isReadable()) {
            if (!best.carried.isReadable()) {
                ByteBuf h = best.queued.duplicate();
                VarInt.read(h); // GROUP type
                VarInt.read(h); // header size
                VarInt.read(h); // subscription
                best.sequence = VarInt.read(h);
                received.add(best.sequence);
            }
            best.carried.writeBytes(best.queued);
            best.queued.clear();
        }
        if (best.finished) {
            completed.add(best.sequence);
            returnCredit(best);
        }
        return true;
    }

    /** Delivers until nothing waits; returns how many deliveries ran. */
    public int deliverAll() {
        int n = 0;
        while (deliverNext()) {
            n++;
        }
        return n;
    }

    private void returnCredit(Stream s) {
        if (s.creditReturned) {
            return;
        }
        s.creditReturned = true;
        open--;
        serveWaiting();
    }

    /** Raises the number of streams the peer allows at once. */
    void grant(int more) {
        credit += more;
        serveWaiting();
    }

    private void serveWaiting() {
        while (open < credit && !waiting.isEmpty()) {
            Promise<SendStream> p = waiting.pollFirst();
            if (!p.setUncancellable()) {
                withdrawn++; // withdrawn: no stream is spent on it
                continue;
            }
            p.setSuccess(newStream());
        }
    }

    private Stream newStream() {
        Stream s = new Stream();
        streams.add(s);
        open++;
        streamsOpened++;
        return s;
    }

    /** Releases every stream's buffers. */
    public void releaseAll() {
        for (Stream s : streams) {
            s.queued.release();
            s.carried.release();
        }
    }

    @Override
    public Future<SendStream> openUni() {
        if (open < credit && waiting.isEmpty()) {
            return loop.newSucceededFuture(newStream());
        }
        Promise<SendStream> p = loop.newPromise();
        waiting.addLast(p);
        return p;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.values()[0];
    }

    @Override
    public String protocol() {
        return "moq-lite-04";
    }

    @Override
    public String path() {
        return "/";
    }

    @Override
    public String origin() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void setHandler(ConnectionHandler handler) {
    }

    @Override
    public Future<BidiStream> openBidi() {
        return loop.newFailedFuture(new UnsupportedOperationException());
    }

    @Override
    public void close(long code, String reason) {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public Future<?> closeFuture() {
        return loop.newPromise();
    }
}
