package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.GroupIngest;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.LiteCodec;
import dev.jmoq.wire.lite.LiteDataType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.Setup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reads the type that opens a uni stream the peer opened (draft-lcurley-moq-lite, "Streams": GROUP 0x0;
 * draft 05 also SETUP 0x1) and hands the stream on: a group stream to a {@link GroupIngest}, with the
 * bytes read so far; a SETUP stream to {@link LiteSetupStream} once its one message is complete. A type
 * the draft lacks is stopped with UNEXPECTED_STREAM; a malformed SETUP closes the session.
 *
 * <p>Threading: the session's event loop. Buffers: what arrives before the stream is handed on is held
 * here and passed on (or released when the stream ends or is refused).
 */
final class LiteUniStreams implements StreamReader {
    private final LiteSession session;
    private final RecvStream stream;
    private final LiteVersion version;
    private CompositeByteBuf pending;
    private boolean setup;
    private boolean done;
    /** The group stream's reader, once the type said GROUP: everything after goes to it. */
    private StreamReader group;

    private LiteUniStreams(LiteSession session, RecvStream stream) {
        this.session = session;
        this.stream = stream;
        this.version = session.version();
    }

    /** Starts reading {@code stream}. */
    static void accept(LiteSession session, RecvStream stream) {
        stream.setReader(new LiteUniStreams(session, stream));
    }

    @Override
    public void onData(ByteBuf data) {
        if (group != null) {
            group.onData(data);
            return;
        }
        if (done) {
            data.release();
            return;
        }
        if (pending == null && !setup) {
            // The common case: the type is in the first chunk, and a group stream's bytes go on as they are.
            try {
                LiteDataType type = LiteDataType.tryRead(data, version);
                if (type == LiteDataType.GROUP) {
                    done = true;
                    group = session.ingest(new Forwarded());
                    group.onData(data);
                    return;
                }
                if (type == LiteDataType.SETUP) {
                    setup = true;
                }
            } catch (ProtocolException e) {
                data.release();
                refuse(e);
                return;
            }
        }
        if (pending == null) {
            pending = ByteBufAllocator.DEFAULT.compositeBuffer(Integer.MAX_VALUE);
        }
        pending.addComponent(true, data);
        try {
            if (!setup) {
                LiteDataType type = LiteDataType.tryRead(pending, version);
                if (type == null) {
                    return;
                }
                if (type == LiteDataType.GROUP) {
                    done = true;
                    ByteBuf rest = pending;
                    pending = null;
                    // The transport's reader stays this one (it is not re-entrant): forward from here on.
                    group = session.ingest(new Forwarded());
                    group.onData(rest);
                    return;
                }
                setup = true;
            }
            Setup s = LiteCodec.tryRead(pending, version, Setup.DECODER, session.config().maxMessageSize());
            if (s != null) {
                done = true;
                release();
                session.setupStream().receive(s);
            }
        } catch (ProtocolException e) {
            release();
            refuse(e);
        }
    }

    /** A bad type stops this stream; a bad SETUP ends the session. */
    private void refuse(ProtocolException e) {
        done = true;
        session.protocolError("uni", e);
        if (e.sessionFatal() || setup) {
            session.close(e.code(), e.getMessage());
        } else {
            session.stats().streamErrors.increment();
            stream.stopSending(e.code());
        }
    }

    @Override
    public void onFinish() {
        if (group != null) {
            group.onFinish();
            return;
        }
        if (!done) {
            done = true;
            release();
            if (setup) {
                session.close(LiteErrorCode.PROTOCOL_VIOLATION, "SETUP stream ended before its message");
            }
        }
    }

    @Override
    public void onReset(long code) {
        if (group != null) {
            group.onReset(code);
            return;
        }
        if (!done) {
            done = true;
            release();
            if (setup) {
                session.close(LiteErrorCode.PROTOCOL_VIOLATION, "SETUP stream reset");
            }
        }
    }

    /** The stream as the group's reader sees it: its reader is set here, the rest goes to the stream. */
    private final class Forwarded implements RecvStream {
        @Override
        public void setReader(StreamReader reader) {
            // Set once by the ingest's constructor, before any data is forwarded to it.
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
    }

    private void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
