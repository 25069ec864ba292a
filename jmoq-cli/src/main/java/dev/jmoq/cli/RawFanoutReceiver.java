package dev.jmoq.cli;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.transport.webtransport.WebTransportClient;
import dev.jmoq.transport.websocket.WebSocketClient;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * One receiver of the raw fan-out leg ({@code jmoq loadgen --raw}): dials a {@link RawFanout} sender with its
 * private ALPN over the URL's transport (raw QUIC, WebTransport or WebSocket, the same client stacks as a MoQ
 * session), accepts the unidirectional streams it opens, splits each into frames (varint length, payload)
 * and records every frame's send stamp and number in a {@link Delivery}. The receiver never opens a stream.
 */
final class RawFanoutReceiver implements ConnectionHandler {
    private final Delivery delivery;

    private RawFanoutReceiver(Delivery delivery) {
        this.delivery = delivery;
    }

    /** Dials {@code uri} ({@code moqt://}, {@code https://} or {@code ws(s)://}); completes once connected. */
    static CompletableFuture<MoqConnection> connect(URI uri, ClientOptions options, Delivery delivery) {
        Future<MoqConnection> dial = switch (uri.getScheme()) {
            case "moqt", "quic", "moq" -> QuicClient.connect(uri, options);
            case "https" -> WebTransportClient.connect(uri, options);
            case "ws", "wss" -> WebSocketClient.connect(uri, options);
            default -> throw new IllegalArgumentException("unsupported scheme " + uri.getScheme());
        };
        CompletableFuture<MoqConnection> result = new CompletableFuture<>();
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            MoqConnection c = dial.getNow();
            c.eventLoop().execute(() -> {
                c.setHandler(new RawFanoutReceiver(delivery));
                result.complete(c);
            });
        });
        return result;
    }

    @Override
    public void onBidiStream(BidiStream stream) {
        stream.stopSending(0);
        stream.reset(0);
    }

    @Override
    public void onUniStream(RecvStream stream) {
        stream.setReader(new Frames());
    }

    @Override
    public void onClosed(long code, String reason) {
    }

    /** Splits one stream into frames; keeps a partial frame across reads. */
    private final class Frames implements StreamReader {
        private ByteBuf partial;

        @Override
        public void onData(ByteBuf data) {
            ByteBuf in = data;
            if (partial != null) {
                partial.writeBytes(data);
                data.release();
                in = partial;
            }
            while (VarInt.isReadable(in)) {
                int header = VarInt.peekLength(in);
                long length = VarInt.get(in, in.readerIndex());
                if (in.readableBytes() - header < length) {
                    break;
                }
                in.skipBytes(header);
                if (length >= RawFanout.STAMP_BYTES) {
                    delivery.frame(in.getLong(in.readerIndex()), in.getLong(in.readerIndex() + 8));
                }
                in.skipBytes((int) length);
            }
            if (in == partial) {
                if (partial.isReadable()) {
                    partial.discardReadBytes();
                } else {
                    partial.release();
                    partial = null;
                }
            } else {
                if (in.isReadable()) {
                    partial = ByteBufAllocator.DEFAULT.heapBuffer(Math.max(256, in.readableBytes() * 2));
                    partial.writeBytes(in);
                }
                in.release();
            }
        }

        @Override
        public void onFinish() {
            release();
        }

        @Override
        public void onReset(long code) {
            release();
        }

        private void release() {
            if (partial != null) {
                partial.release();
                partial = null;
            }
        }
    }
}
