package dev.jmoq.transport.websocket;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionAcceptor;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.StreamReader;
import io.netty.buffer.ByteBuf;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Test server behaviour: echoes each bidi stream back on itself and each uni stream on a new uni stream, and
 * echoes resets as resets with the same code. Records accepted connections. Runs on the connection's loop.
 */
final class EchoAcceptor implements ConnectionAcceptor {
    final Queue<MoqConnection> connections = new ConcurrentLinkedQueue<>();
    final Queue<String> closes = new ConcurrentLinkedQueue<>();

    @Override
    public void onConnection(MoqConnection connection) {
        connections.add(connection);
        connection.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.setReader(echoTo(stream, stream));
            }

            @Override
            public void onUniStream(RecvStream stream) {
                // Open the reply stream first, buffering until it is ready.
                var reply = new io.netty.buffer.CompositeByteBuf(io.netty.buffer.ByteBufAllocator.DEFAULT, false, Integer.MAX_VALUE);
                boolean[] finished = {false};
                long[] reset = {-2};
                SendStream[] out = {null};
                stream.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        if (out[0] != null) {
                            out[0].write(data);
                            out[0].flush();
                        } else {
                            reply.addComponent(true, data);
                        }
                    }

                    @Override
                    public void onFinish() {
                        finished[0] = true;
                        if (out[0] != null) {
                            out[0].finish();
                        }
                    }

                    @Override
                    public void onReset(long code) {
                        reset[0] = code;
                        if (out[0] != null && code >= 0) {
                            out[0].reset(code);
                        }
                    }
                });
                connection.openUni().addListener(f -> {
                    if (!f.isSuccess()) {
                        reply.release();
                        return;
                    }
                    SendStream s = (SendStream) f.getNow();
                    out[0] = s;
                    s.write(reply);
                    if (reset[0] >= 0) {
                        s.reset(reset[0]);
                    } else if (finished[0]) {
                        s.finish();
                    }
                    s.flush();
                });
            }

            @Override
            public void onDatagram(ByteBuf datagram) {
                connection.sendDatagram(datagram); // echo: ownership goes on
            }

            @Override
            public void onClosed(long code, String reason) {
                closes.add(code + " " + reason);
            }
        });
    }

    static StreamReader echoTo(RecvStream in, SendStream out) {
        return new StreamReader() {
            @Override
            public void onData(ByteBuf data) {
                out.write(data);
                out.flush();
            }

            @Override
            public void onFinish() {
                out.finish();
            }

            @Override
            public void onReset(long code) {
                if (code >= 0) {
                    out.reset(code);
                }
            }
        };
    }
}
