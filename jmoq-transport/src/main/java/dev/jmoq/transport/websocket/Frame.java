package dev.jmoq.transport.websocket;

import io.netty.buffer.ByteBuf;

/**
 * The frames a WebSocket message carries, in either framing. A {@link Stream} or {@link Datagram} frame owns
 * its {@code data} (a retained slice of the received message): whoever takes the frame releases it.
 */
public sealed interface Frame {
    /** STREAM: {@code data} at {@code offset} of stream {@code id}; {@code fin} ends the stream. */
    record Stream(long id, long offset, ByteBuf data, boolean fin) implements Frame {
    }

    /** RESET_STREAM: the sender abandons the stream; {@code finalSize} is 0 from the legacy framing. */
    record ResetStream(long id, long code, long finalSize) implements Frame {
    }

    /** STOP_SENDING: the receiver asks the sender to stop. */
    record StopSending(long id, long code) implements Frame {
    }

    /**
     * CONNECTION_CLOSE: {@code application} for 0x1d (an application close with the application's code),
     * otherwise 0x1c (a transport error code, e.g. a protocol violation the peer detected).
     */
    record ConnectionClose(boolean application, long code, String reason) implements Frame {
    }

    /** MAX_DATA: the peer's new connection-wide receive limit. */
    record MaxData(long max) implements Frame {
    }

    /** MAX_STREAM_DATA: the peer's new receive limit for one stream. */
    record MaxStreamData(long id, long max) implements Frame {
    }

    /** MAX_STREAMS: the cumulative count of streams of one direction the peer lets us open. */
    record MaxStreams(boolean bidi, long max) implements Frame {
    }

    /** DATA_BLOCKED, STREAM_DATA_BLOCKED, STREAMS_BLOCKED: informational. */
    record Blocked(long type) implements Frame {
    }

    /** QX_TRANSPORT_PARAMETERS. */
    record Parameters(TransportParameters params) implements Frame {
    }

    /** QX_PING request or response (drafts 01 and later). */
    record Ping(boolean request, long sequence) implements Frame {
    }

    /**
     * DATAGRAM (RFC 9221; drafts 01 and later): {@code data} is a retained slice of the message, owned by
     * whoever takes the frame; {@code frameSize} is the whole frame's size (type, length, payload), which
     * {@code max_datagram_frame_size} bounds.
     */
    record Datagram(ByteBuf data, int frameSize) implements Frame {
    }

    /** PADDING (drafts 01 and later). */
    record Padding() implements Frame {
    }
}
