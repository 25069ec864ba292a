package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.GroupIngest;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.DataStreamType;
import dev.jmoq.wire.ietf.IetfVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Classifies a unidirectional stream the peer opened by its first varint (draft-ietf-moq-transport
 * "Data Streams"; {@link DataStreamType#peek}) and hands it, from its first byte, to its reader: a
 * subgroup stream to a {@link GroupIngest} with an {@link IetfGroupDecoder}, the draft-17+ control
 * stream to {@link IetfSetup}; padding is discarded; fetch streams are stopped (this endpoint never
 * fetches). An unknown stream type closes the session with PROTOCOL_VIOLATION, as the drafts require.
 * A subgroup stream whose Track Alias is not known yet while a SUBSCRIBE of ours awaits its answer is
 * held (its bytes buffered, at most the largest frame) until SUBSCRIBE_OK names the alias: the drafts
 * let data streams arrive before the answer, on another stream.
 *
 * <p>Threading: the session's event loop. Buffers: the bytes read before the type is known are held in
 * one composite and passed on to the stream's reader.
 */
final class UniStreams implements StreamReader {
    private final IetfSession session;
    private final RecvStream stream;
    /** What the stream's reader hands on to once the type is known (set through {@link #asStream}). */
    private StreamReader delegate;
    private final IetfSetup setup;
    private final IetfSubscriber subscriber;
    private CompositeByteBuf pending = ByteBufAllocator.DEFAULT.compositeBuffer(16);
    private boolean discard;
    /** A subgroup stream waiting for the SUBSCRIBE_OK that names its alias (see {@link IetfSubscriber#shouldWait}). */
    private boolean parked;
    private boolean finishedWhileParked;

    private UniStreams(IetfSession session, RecvStream stream, IetfSetup setup, IetfSubscriber subscriber) {
        this.session = session;
        this.stream = stream;
        this.setup = setup;
        this.subscriber = subscriber;
    }

    static void accept(IetfSession session, RecvStream stream, IetfSetup setup, IetfSubscriber subscriber) {
        stream.setReader(new UniStreams(session, stream, setup, subscriber));
    }

    /**
     * The stream as the next reader sees it: its {@code setReader} makes that reader this one's delegate,
     * so the transport's reader never changes while it is delivering (no re-entrant {@code setReader}).
     */
    private RecvStream asStream() {
        return new RecvStream() {
            @Override
            public void setReader(StreamReader reader) {
                delegate = reader;
            }

            @Override
            public void stopSending(long code) {
                stream.stopSending(code);
            }

            @Override
            public void setAutoRead(boolean autoRead) {
                stream.setAutoRead(autoRead);
            }

            @Override
            public long id() {
                return stream.id();
            }
        };
    }

    @Override
    public void onData(ByteBuf data) {
        if (delegate != null) {
            delegate.onData(data);
            return;
        }
        if (discard || pending == null) {
            data.release();
            return;
        }
        pending.addComponent(true, data);
        IetfVersion v = session.version();
        DataStreamType type;
        try {
            type = DataStreamType.peek(pending, v);
        } catch (ProtocolException e) {
            drop();
            session.fatal("uni", e);
            return;
        }
        if (type == null) {
            return;
        }
        if (type == DataStreamType.SUBGROUP) {
            long alias;
            try {
                alias = peekAlias(v);
            } catch (ProtocolException e) {
                drop();
                session.fatal("uni", e);
                return;
            }
            if (alias < 0) {
                return; // the alias is not complete yet
            }
            if (parked || subscriber.shouldWait(alias)) {
                // Data streams and the request's answer travel apart: hold this one until SUBSCRIBE_OK.
                if (pending.readableBytes() > session.config().maxFrameSize()) {
                    drop();
                    discard = true;
                    stream.stopSending(IetfErrors.streamCode(SessionError.LIMIT_EXCEEDED, v));
                } else if (!parked) {
                    parked = true;
                    subscriber.park(alias, this::resume);
                }
                return;
            }
        }
        ByteBuf first = pending;
        pending = null;
        switch (type) {
            case SUBGROUP -> startSubgroup(first);
            case CONTROL -> setup.acceptSetupStream(asStream(), first);
            case PADDING -> {
                first.release();
                discard = true;
            }
            case FETCH -> {
                first.release();
                discard = true;
                stream.stopSending(IetfErrors.streamCode(SessionError.UNSUPPORTED, v));
            }
        }
    }

    /** The Track Alias after the subgroup stream's type, or -1 while either is incomplete. */
    private long peekAlias(IetfVersion v) throws ProtocolException {
        int at = pending.readerIndex();
        int end = pending.writerIndex();
        int typeLen = v.varint().length(pending, at);
        if (at + typeLen >= end) {
            return -1;
        }
        int aliasLen = v.varint().length(pending, at + typeLen);
        if (at + typeLen + aliasLen > end) {
            return -1;
        }
        return v.varint().get(pending, at + typeLen);
    }

    private void startSubgroup(ByteBuf first) {
        IetfVersion v = session.version();
        GroupIngest ingest = new GroupIngest(asStream(), session.loop(),
                new IetfGroupDecoder(v, session.config().maxFrameSize(), e -> session.fatal("subgroup", e)),
                error -> IetfErrors.streamCode(error, v), subscriber::route, session.stats());
        ingest.onData(first);
    }

    /** The alias became known (or will not be): the parked stream goes on to its ingest. */
    private void resume() {
        parked = false;
        if (pending == null) {
            return; // reset while parked
        }
        if (session.isClosed()) {
            drop();
            return;
        }
        ByteBuf first = pending;
        pending = null;
        startSubgroup(first);
        if (finishedWhileParked && delegate != null) {
            delegate.onFinish();
        }
    }

    private void drop() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void onFinish() {
        if (delegate != null) {
            delegate.onFinish();
        } else if (parked) {
            finishedWhileParked = true;
        } else {
            drop();
            if (!discard) {
                session.violation("uni", "a uni stream ended before its type");
            }
        }
    }

    @Override
    public void onReset(long code) {
        if (delegate != null) {
            delegate.onReset(code);
        } else {
            drop();
        }
    }
}
