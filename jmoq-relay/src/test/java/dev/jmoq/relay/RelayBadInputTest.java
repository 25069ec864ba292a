package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.transport.websocket.QmuxSettings;
import dev.jmoq.transport.websocket.Subprotocol;
import dev.jmoq.transport.websocket.WebSocketClient;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input a relay answers instead of ignoring: a control stream cut inside a message (issue 10, fault 4's
 * second half) is reset with the protocol's code, logged and counted, and the session goes on; messages
 * and frames above the configured sizes are refused and counted as {@code message_size} and
 * {@code frame_size} limit violations.
 */
class RelayBadInputTest {
    private static final int MAX_MESSAGE = 256;
    private static final int MAX_FRAME = 1024;

    private RelayServer relay;
    private MoqClient client;

    @BeforeEach
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1).toBuilder()
                .maxMessageSize(MAX_MESSAGE).maxFrameSize(MAX_FRAME).build()).start();
        client = MoqClient.builder().insecure(true).build();
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    /** A bare moq-lite-04 connection over qmux: the test writes the bytes itself. */
    private MoqConnection raw(CompletableFuture<Long> closed) throws Exception {
        MoqConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/"),
                new ClientOptions(client.eventLoops(), List.of("moq-lite-04"), false, List.of(), 10_000),
                QmuxSettings.defaults(), Subprotocol.preference(List.of("moq-lite-04"))).get(10, TimeUnit.SECONDS);
        c.eventLoop().submit(() -> c.setHandler(new ConnectionHandler() {
            @Override
            public void onBidiStream(BidiStream stream) {
                stream.reset(0); // the relay's ANNOUNCE_PLEASE: not under test
            }

            @Override
            public void onUniStream(RecvStream stream) {
                stream.stopSending(0);
            }

            @Override
            public void onClosed(long code, String reason) {
                closed.complete(code);
            }
        })).get(10, TimeUnit.SECONDS);
        return c;
    }

    /** Opens a bidi stream, writes {@code bytes} and FIN, and completes with the code the relay resets it with. */
    private static CompletableFuture<Long> sendAndFinish(MoqConnection c, ByteBuf bytes) throws Exception {
        CompletableFuture<Long> reset = new CompletableFuture<>();
        BidiStream s = c.openBidi().get(10, TimeUnit.SECONDS);
        c.eventLoop().submit(() -> {
            s.setReader(new StreamReader() {
                @Override
                public void onData(ByteBuf data) {
                    data.release();
                }

                @Override
                public void onFinish() {
                    reset.complete(-1L);
                }

                @Override
                public void onReset(long code) {
                    reset.complete(code);
                }
            });
            s.writeAndFinish(bytes);
        }).get(10, TimeUnit.SECONDS);
        return reset;
    }

    @Test
    void aControlStreamCutInsideAMessageIsResetWithProtocolViolationAndTheSessionGoesOn() throws Exception {
        CompletableFuture<Long> closed = new CompletableFuture<>();
        MoqConnection c = raw(closed);
        long errorsBefore = relay.sessionStats().streamErrors.sum();
        // A SUBSCRIBE whose size says 200 bytes, then 20 of them, then FIN.
        ByteBuf out = Unpooled.buffer();
        LiteControlType.SUBSCRIBE.write(out);
        VarInt.write(out, 200);
        out.writeZero(20);
        assertEquals(LiteErrorCode.PROTOCOL_VIOLATION, sendAndFinish(c, out).get(15, TimeUnit.SECONDS));
        assertEquals(errorsBefore + 1, relay.sessionStats().streamErrors.sum(), "counted");
        assertTrue(relay.sessionStats().protocolErrors.sum() >= 1, "logged and counted as a protocol error");

        // The session is still served: a well-formed request on it gets its answer (not found).
        ByteBuf sub = Unpooled.buffer();
        LiteControlType.SUBSCRIBE.write(sub);
        dev.jmoq.wire.lite.Subscribe.basic(1, "nothing/here", "video", 0).encode(sub, dev.jmoq.wire.lite.LiteVersion.DRAFT_04);
        assertEquals(LiteErrorCode.NOT_FOUND, sendAndFinish(c, sub).get(15, TimeUnit.SECONDS));
        assertTrue(!closed.isDone(), "the session stays open");
        c.close(0, "done");
    }

    @Test
    void anOversizeMessageIsCountedAsAMessageSizeViolation() throws Exception {
        ClientSession viewer = client.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        // A SUBSCRIBE whose broadcast path alone is larger than the relay's maximum message size.
        Subscriptions.endOf(viewer, "big/" + "x".repeat(MAX_MESSAGE), "video");
        Await.until("the relay counts the oversize message", () -> relay.sessionStats().limitMessageSize.sum() == 1);
        assertTrue(relay.metrics().scrape().contains("jmoq_limit_violations_total{kind=\"message_size\"} 1.0"),
                "exported");
    }

    @Test
    void anOversizeFrameIsCountedAsAFrameSizeViolation() throws Exception {
        ClientSession pub = client.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        ClientSession viewer = client.connect(URI.create("moqt://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        Track video = CompletableFuture.supplyAsync(() -> pub.publish("big/frames").createTrack("video"),
                pub.executor()).get(10, TimeUnit.SECONDS);
        Await.until("the relay lists the broadcast", () -> relay.origin().get("big/frames") != null);
        Subscriptions.endOf(viewer, "big/frames", "video");
        Await.until("the relay subscribes upstream", () -> video.subscriberCount() == 1);
        CompletableFuture.runAsync(() -> {
            Group g = video.createGroup(0);
            g.append(Unpooled.wrappedBuffer(new byte[MAX_FRAME + 1]));
            g.finish();
        }, pub.executor()).get(10, TimeUnit.SECONDS);
        Await.until("the relay counts the oversize frame", () -> relay.sessionStats().limitFrameSize.sum() == 1);
        assertTrue(relay.metrics().scrape().contains("jmoq_limit_violations_total{kind=\"frame_size\"} 1.0"),
                "exported");
    }
}
