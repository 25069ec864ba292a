package dev.jmoq.core.session;

import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Reads a control stream as a sequence of messages: accumulates the received bytes and hands them to a
 * {@link Parser} until it can make no progress, so messages split across packets are reassembled.
 *
 * <p>Threading: the connection's event loop. Buffers: received chunks are added to a composite buffer
 * (no copy); consumed bytes are discarded as parsing advances; everything is released at the end.
 * The accumulated size is bounded: more than {@code maxBuffered} unparsed bytes is a protocol error.
 * Protocol-neutral: the family's parser reads the messages, and its code for a protocol violation is
 * given at construction.
 *
 * <p>Faults every family gets the same way: a message above {@code maxBuffered} (or one the family's decoder
 * finds above the limit) is a protocol error counted as a {@code message_size} limit violation; a stream
 * that ends (FIN) inside a message, with bytes left that no complete message accounts for, is a protocol
 * error too (the owner hears {@link Events#onError} and answers with the family's code, rather than leaving
 * the stream half-open unanswered), counted as a stream error.
 */
public final class MessageStream implements StreamReader {
    /** Consumes complete messages from {@code in}; leaves a partial one unread. */
    @FunctionalInterface
    public interface Parser {
        void parse(ByteBuf in) throws ProtocolException;
    }

    /** What the stream's owner hears. */
    public interface Events {
        void onEnd();

        void onReset(long code);

        void onError(ProtocolException e);
    }

    private final RecvStream stream;
    private final CompositeByteBuf buffer;
    private final int maxBuffered;
    private final long violationCode;
    private final SessionStats stats;
    private Parser parser;
    private Events events;
    private boolean done;

    /**
     * @param maxBuffered   most unparsed bytes held (a message larger than this is a protocol violation)
     * @param violationCode the family's code for a protocol violation (oversize or malformed input)
     */
    public MessageStream(RecvStream stream, int maxBuffered, long violationCode, Parser parser, Events events) {
        this(stream, maxBuffered, violationCode, null, parser, events);
    }

    /**
     * @param stats where oversize messages ({@code limitMessageSize}) and streams cut inside a message
     *              ({@code streamErrors}) are counted; null counts nothing
     */
    public MessageStream(RecvStream stream, int maxBuffered, long violationCode, SessionStats stats, Parser parser,
            Events events) {
        this.stats = stats;
        this.buffer = ByteBufAllocator.DEFAULT.compositeBuffer(64);
        this.maxBuffered = maxBuffered;
        this.violationCode = violationCode;
        this.parser = parser;
        this.events = events;
        this.stream = stream;
    }

    /** Starts reading: data that already arrived is parsed at once. Call after storing the reference. */
    public MessageStream attach() {
        stream.setReader(this);
        return this;
    }

    /** Replaces the parser (a stream that changes phase, e.g. after its first message). */
    public void parser(Parser next) {
        this.parser = next;
    }

    @Override
    public void onData(ByteBuf data) {
        if (done) {
            data.release();
            return;
        }
        buffer.addComponent(true, data);
        try {
            parser.parse(buffer);
            if (done) {
                return;
            }
            if (buffer.readableBytes() > maxBuffered) {
                throw new ProtocolException(violationCode,
                        "message larger than " + maxBuffered + " bytes", false, ProtocolException.Limit.MESSAGE_SIZE);
            }
            buffer.discardReadComponents();
        } catch (ProtocolException e) {
            finish();
            if (stats != null && e.limit() == ProtocolException.Limit.MESSAGE_SIZE) {
                stats.limitMessageSize.increment();
            }
            events.onError(e);
        } catch (RuntimeException e) {
            finish();
            events.onError(new ProtocolException(violationCode, "malformed: " + e, false));
        }
    }

    /** Parses what is already buffered (after a parser change). */
    public void parseNow() {
        if (!done && buffer.isReadable()) {
            onData(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        }
    }

    /** Replaces who hears the stream's end (a stream whose owner changes once its first message is read). */
    public void events(Events next) {
        this.events = next;
    }

    /** Bytes received but not yet parsed. */
    public int buffered() {
        return done ? 0 : buffer.readableBytes();
    }

    @Override
    public void onFinish() {
        if (done) {
            return;
        }
        int unparsed = buffer.readableBytes();
        finish();
        if (unparsed > 0) {
            // The peer's FIN cut a message: the rest can never come. Answer it instead of waiting forever.
            if (stats != null) {
                stats.streamErrors.increment();
            }
            events.onError(new ProtocolException(violationCode,
                    "stream ended inside a message (" + unparsed + " bytes unparsed)", false));
            return;
        }
        events.onEnd();
    }

    @Override
    public void onReset(long code) {
        if (!done) {
            finish();
            events.onReset(code);
        }
    }

    /** Stops parsing and frees what is buffered. Idempotent. */
    public void finish() {
        if (!done) {
            done = true;
            buffer.release();
        }
    }
}
