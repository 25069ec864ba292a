package dev.jmoq.relay.ietf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.MessageParameter;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.Octets;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.PublishNamespace;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SubgroupHeader;
import dev.jmoq.wire.ietf.SubgroupStreamEncoder;
import dev.jmoq.wire.ietf.Subscribe;
import dev.jmoq.wire.ietf.SubscribeOk;
import dev.jmoq.wire.ietf.SubscriptionFilter;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Priorities through the relay, end to end over raw QUIC on draft 18 (draft-ietf-moq-transport,
 * "Priorities"): the first subscriber's SUBSCRIBER_PRIORITY and GROUP_ORDER go upstream in the relay's
 * SUBSCRIBE; the subscriber's SUBSCRIBE_OK carries the relay's preference as DEFAULT_PUBLISHER_GROUP_ORDER
 * (a Track Property from 16); the publisher priority the publisher wrote in its SUBGROUP_HEADER reaches the
 * subscriber byte for byte in the relay's header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfPriorityTest {
    private static final IetfVersion V = IetfVersion.DRAFT_18;
    private static final long ALIAS = 5;
    private static final int PUBLISHER_PRIORITY = 37;
    private RelayServer relay;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private static ByteBuf framed(IetfMessage m) {
        return RawIetfFamily.framed(m, V);
    }

    private static ByteBuf group(long g) {
        ByteBuf out = Unpooled.buffer();
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(V,
                new SubgroupHeader(ALIAS, g, SubgroupHeader.MODE_ZERO, 0, PUBLISHER_PRIORITY, false, false, true));
        enc.writeHeader(out);
        byte[] payload = ("g" + g).getBytes(StandardCharsets.UTF_8);
        enc.writeObjectHeader(out, 0, null, payload.length, ObjectStatus.NORMAL);
        out.writeBytes(payload);
        return out;
    }

    @Test
    void priorityAndOrderGoUpstreamAndThePublisherPriorityComesDown() throws Exception {
        URI url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
        CompletableFuture<Subscribe> upstream = new CompletableFuture<>();
        RawIetfFamily pub = new RawIetfFamily("moqt-18", s -> {
            s.uni(framed(new Setup(Parameters.EMPTY)));
            s.bidi(framed(new PublishNamespace(0, TrackNamespace.of("prio"), Parameters.EMPTY)));
        });
        pub.prepare = s -> s.onBidi = request -> {
            CompositeByteBuf in = Unpooled.compositeBuffer(Integer.MAX_VALUE);
            request.setReader(new StreamReader() {
                @Override
                public void onData(ByteBuf data) {
                    in.addComponent(true, data);
                    try {
                        IetfMessage m = upstream.isDone() ? null : ControlCodec.tryRead(in, V, 1 << 16);
                        if (m instanceof Subscribe sub) {
                            upstream.complete(sub);
                            request.write(framed(new SubscribeOk(0, ALIAS, Parameters.EMPTY, Octets.EMPTY)));
                            request.flush();
                            s.uniFinished(group(0));
                        }
                    } catch (Exception e) {
                        upstream.completeExceptionally(e);
                    }
                }

                @Override
                public void onFinish() {
                    in.release();
                }

                @Override
                public void onReset(long code) {
                    in.release();
                }
            });
        };
        Parameters asked = Parameters.of(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 7),
                new Parameter.Filter(MessageParameter.LOCATION_FILTER, SubscriptionFilter.NEXT_GROUP_START),
                new Parameter.Int(MessageParameter.GROUP_ORDER, 1));
        RawIetfFamily sub = new RawIetfFamily("moqt-18", s -> {
            s.uni(framed(new Setup(Parameters.EMPTY)));
            s.bidi(framed(new Subscribe(0, TrackNamespace.of("prio"), Octets.utf8("video"), asked)));
        });
        try (MoqClient pubClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18"))
                        .sessionFactory(new SessionFactory(List.of(pub))).build();
                MoqClient subClient = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18"))
                        .sessionFactory(new SessionFactory(List.of(sub))).build()) {
            pubClient.connect(url).get(15, TimeUnit.SECONDS);
            Await.until("prio announced", () -> relay.origin().get("prio") != null);
            subClient.connect(url).get(15, TimeUnit.SECONDS);
            RawIetfFamily.RawSession viewer = sub.session.get(15, TimeUnit.SECONDS);

            Subscribe relayed = upstream.get(15, TimeUnit.SECONDS);
            assertEquals(7, relayed.parameters().number(MessageParameter.SUBSCRIBER_PRIORITY).orElse(-1),
                    "the first subscriber's priority goes upstream");
            assertEquals(1, relayed.parameters().number(MessageParameter.GROUP_ORDER).orElse(-1),
                    "and its group order (ascending)");

            Await.until("SUBSCRIBE_OK at the subscriber", () -> !viewer.bidiReplies.isEmpty()
                    && viewer.bidiReplies.getFirst().isReadable());
            ByteBuf reply = viewer.bidiReply(0);
            IetfMessage ok;
            try {
                ok = ControlCodec.tryRead(reply, V, 1 << 16);
            } finally {
                reply.release();
            }
            SubscribeOk answer = assertInstanceOf(SubscribeOk.class, ok);
            assertArrayEquals(new byte[] {0x22, 0x02}, answer.trackProperties().toByteArray(),
                    "DEFAULT_PUBLISHER_GROUP_ORDER = descending: the relay's preference (absent would mean ascending)");

            ByteBuf stream = viewer.uniStreams.poll(15, TimeUnit.SECONDS);
            assertNotNull(stream, "the group reaches the subscriber");
            try {
                ByteBuf expected = Unpooled.buffer();
                new SubgroupStreamEncoder(V, new SubgroupHeader(answer.trackAlias(), 0, SubgroupHeader.MODE_ZERO, 0,
                        PUBLISHER_PRIORITY, false, false, true)).writeHeader(expected);
                String header = ByteBufUtil.hexDump(expected);
                expected.release();
                assertEquals(header, ByteBufUtil.hexDump(stream, stream.readerIndex(), header.length() / 2),
                        "the relay's SUBGROUP_HEADER carries the publisher's priority 37");
            } finally {
                stream.release();
            }
            viewer.release();
            pub.session.get().release();
        }
    }
}
