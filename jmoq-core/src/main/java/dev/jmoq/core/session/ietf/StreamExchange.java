package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.IetfMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A request on its own bidirectional stream (draft 17+ "Request Streams"; SUBSCRIBE_NAMESPACE on 16):
 * messages go out framed on the stream, the peer's follow-ups come in on it, FIN ends a side cleanly
 * and a reset abandons it. A malformed message closes the session (the codec's PROTOCOL_VIOLATION).
 *
 * <p>Threading: the session's event loop.
 */
final class StreamExchange extends Exchange {
    private final IetfSession session;
    private final BidiStream stream;
    private MessageStream reader;
    private boolean finished;

    StreamExchange(IetfSession session, BidiStream stream, long requestId) {
        super(requestId);
        this.session = session;
        this.stream = stream;
    }

    /**
     * Reads the stream's later messages into the listener. {@code reader} is the stream's reader when it
     * already exists (an incoming request whose first message was read), else null (one is made).
     */
    void readFollowUps(MessageStream existing) {
        int max = session.config().maxMessageSize();
        MessageStream.Parser parser = in -> {
            IetfMessage m;
            while (!ended && (m = ControlCodec.tryRead(in, session.version(), max)) != null) {
                listener.onMessage(m);
            }
        };
        MessageStream.Events events = new MessageStream.Events() {
            @Override
            public void onEnd() {
                peerEnded(-1);
            }

            @Override
            public void onReset(long code) {
                peerEnded(code < 0 ? 0 : code);
            }

            @Override
            public void onError(ProtocolException e) {
                session.protocolError("request", e);
                session.close(e.code(), e.getMessage());
            }
        };
        if (existing != null) {
            reader = existing;
            reader.parser(parser);
            reader.events(events);
            reader.parseNow();
        } else {
            reader = new MessageStream(stream, max, IetfErrorCode.PROTOCOL_VIOLATION.code(), parser, events).attach();
        }
    }

    @Override
    void send(IetfMessage m) {
        if (finished || stream.isClosed()) {
            return;
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        ControlCodec.write(out, m, session.version());
        stream.write(out);
        stream.flush();
    }

    @Override
    void end(IetfMessage legacyDone) {
        if (!finished) {
            finished = true;
            if (!stream.isClosed()) {
                stream.finish();
            }
        }
    }

    @Override
    void reset(long code) {
        ended = true;
        if (!finished) {
            finished = true;
            stream.reset(code);
        }
        if (reader != null) {
            reader.finish();
        }
        stream.stopSending(code);
    }
}
