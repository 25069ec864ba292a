package dev.jmoq.transport.websocket;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-driven WebSocket peer for tests that must send what a correct peer never would. Thread-safe. */
final class RawPeer implements AutoCloseable {
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> subprotocol = new CompletableFuture<>();
    private final Channel channel;

    RawPeer(EventLoopGroup group, int port, String offer) throws InterruptedException {
        WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(
                URI.create("ws://127.0.0.1:" + port + "/raw"), WebSocketVersion.V13, offer, false,
                new DefaultHttpHeaders(), 1 << 20);
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        hs.handshake(ctx.channel());
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof FullHttpResponse res) {
                                            hs.finishHandshake(ctx.channel(), res);
                                            subprotocol.complete(String.valueOf(hs.actualSubprotocol()));
                                        } else if (msg instanceof BinaryWebSocketFrame f) {
                                            received.add(ByteBufUtil.getBytes(f.content()));
                                        } else if (msg instanceof WebSocketFrame) {
                                            // close and ping frames: the channel's closing is what tests watch
                                        }
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
    }

    /** Sends one binary message. */
    void send(byte[] message) {
        ByteBuf b = Unpooled.wrappedBuffer(message);
        channel.writeAndFlush(new BinaryWebSocketFrame(b));
    }

    boolean awaitClosed(long millis) throws InterruptedException {
        return channel.closeFuture().await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
