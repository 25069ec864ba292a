package dev.jmoq.relay;

import dev.jmoq.testkit.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.quic.QuicClient;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.Fetch;
import dev.jmoq.wire.lite.Frame;
import dev.jmoq.wire.lite.GroupStreamDecoder;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.Subscribe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Through a relay, on the wire: a moq-lite-04 SUBSCRIBE with a start and an end group gets exactly those
 * groups from the relay's cache and then the subscribe stream's FIN; a FETCH of a cached group gets its
 * frame records and FIN; a FETCH of a group the cache lacks is reset with NOT_FOUND.
 */
class RelayRangeAndFetchTest {
    @Test
    void subscribeRangeAndFetchAreServedFromTheCache() throws Exception {
        try (RelayServer relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
                MoqClient client = MoqClient.builder().insecure(true).threads(1).build()) {
            URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
            ClientSession pub = client.connect(url).get(15, TimeUnit.SECONDS);
            ClientSession viewer = client.connect(url).get(15, TimeUnit.SECONDS);
            Track t = onLoop(pub, () -> pub.publish("rf").createTrack("t"));
            Await.until("relay.origin().get('rf') == null to end", () -> !(relay.origin().get("rf") == null));
            // A viewer makes the relay pull the track, so the relay caches what follows.
            CountDownLatch seen = new CountDownLatch(4);
            Track viewed = viewer.subscribe("rf", "t");
            viewer.executor().execute(() -> TrackReader.ofSubscription(viewed, viewer.executor(), new TrackReader.Handler() {
                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    seen.countDown();
                }
            }).start());
            Await.until("t.subscriberCount() == 0 to end", () -> !(t.subscriberCount() == 0));
            for (int g = 0; g < 4; g++) {
                int seq = g;
                onLoop(pub, () -> {
                    Group group = t.createGroup(seq);
                    group.append(Unpooled.copiedBuffer("g" + seq, StandardCharsets.US_ASCII));
                    group.finish();
                    return null;
                });
                Thread.sleep(20); // pacing the producer, not waiting for an outcome
            }
            assertTrue(seen.await(15, TimeUnit.SECONDS), "the viewer got groups 0 to 3");

            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            try {
                RawPeer peer = new RawPeer();
                MoqConnection raw = QuicClient.connect(url, new ClientOptions(group, List.of("moq-lite-04"), true,
                        List.of(), 10_000)).get(10, TimeUnit.SECONDS);
                raw.eventLoop().submit(() -> raw.setHandler(peer)).get(5, TimeUnit.SECONDS);

                ByteBuf sub = Unpooled.buffer();
                LiteControlType.SUBSCRIBE.write(sub);
                new Subscribe(1, "rf", "t", 0, false, 0, OptionalLong.of(1), OptionalLong.of(2)).encode(sub, LiteVersion.DRAFT_04);
                Collect subscribeStream = request(raw, sub);
                subscribeStream.done.get(15, TimeUnit.SECONDS); // FIN: the subscription ended after group 2
                assertEquals(Map.of(1L, "g1", 2L, "g2"), peer.awaitGroups(2));

                ByteBuf fetch = Unpooled.buffer();
                LiteControlType.FETCH.write(fetch);
                new Fetch("rf", "t", 0, 3).encode(fetch, LiteVersion.DRAFT_04);
                byte[] answer = request(raw, fetch).done.get(15, TimeUnit.SECONDS);
                ByteBuf expected = Unpooled.buffer();
                VarInt.write(expected, 2);
                expected.writeCharSequence("g3", StandardCharsets.US_ASCII);
                assertEquals(io.netty.buffer.ByteBufUtil.hexDump(expected), java.util.HexFormat.of().formatHex(answer));
                expected.release();

                ByteBuf missing = Unpooled.buffer();
                LiteControlType.FETCH.write(missing);
                new Fetch("rf", "t", 0, 99).encode(missing, LiteVersion.DRAFT_04);
                Collect notFound = request(raw, missing);
                assertEquals(LiteErrorCode.NOT_FOUND, notFound.reset.get(15, TimeUnit.SECONDS));
                raw.close(0, "done");
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
                pub.close();
                viewer.close();
            }
        }
    }

    private static <T> T onLoop(ClientSession s, java.util.function.Supplier<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.executor().execute(() -> f.complete(r.get()));
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Opens a bidi stream, sends {@code request} and collects the answer. */
    private static Collect request(MoqConnection c, ByteBuf request) throws Exception {
        Collect collect = new Collect();
        c.eventLoop().submit(() -> c.openBidi().addListener(f -> {
            BidiStream s = (BidiStream) f.getNow();
            s.setReader(collect);
            s.write(request);
            s.flush();
        })).get(5, TimeUnit.SECONDS);
        return collect;
    }

    /** A stream's bytes until FIN, or its reset code. */
    private static final class Collect implements StreamReader {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final CompletableFuture<Long> reset = new CompletableFuture<>();

        @Override
        public void onData(ByteBuf data) {
            byte[] b = new byte[data.readableBytes()];
            data.readBytes(b);
            data.release();
            bytes.writeBytes(b);
        }

        @Override
        public void onFinish() {
            done.complete(bytes.toByteArray());
        }

        @Override
        public void onReset(long code) {
            reset.complete(code);
            done.completeExceptionally(new IllegalStateException("reset " + code));
        }
    }

    /** The raw client's side: ignores the relay's announce request, decodes every group stream it receives. */
    private static final class RawPeer implements ConnectionHandler {
        final Map<Long, String> groups = new ConcurrentHashMap<>();

        @Override
        public void onBidiStream(BidiStream stream) {
            stream.setReader(new Collect()); // the relay's ANNOUNCE_PLEASE: we announce nothing
        }

        @Override
        public void onUniStream(RecvStream stream) {
            GroupStreamDecoder decoder = GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, LiteVersion.DRAFT_04, 1 << 20);
            boolean[] typed = {false};
            stream.setReader(new StreamReader() {
                @Override
                public void onData(ByteBuf data) {
                    if (!typed[0]) {
                        VarInt.read(data); // GROUP
                        typed[0] = true;
                    }
                    decoder.feed(data);
                }

                @Override
                public void onFinish() {
                    try {
                        long seq = decoder.readHeader().sequence();
                        StringBuilder text = new StringBuilder();
                        Frame f;
                        while ((f = decoder.readFrame()) != null) {
                            text.append(f.payload().toString(StandardCharsets.US_ASCII));
                            f.release();
                        }
                        groups.put(seq, text.toString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        decoder.close();
                    }
                }

                @Override
                public void onReset(long code) {
                    decoder.close();
                }
            });
        }

        @Override
        public void onClosed(long code, String reason) {
        }

        Map<Long, String> awaitGroups(int n) throws InterruptedException {
            Await.until("groups.size() < n to end", () -> !(groups.size() < n));
            return Map.copyOf(groups);
        }
    }
}
