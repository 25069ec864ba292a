package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.client.TrackReader;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.transport.TransportStats;
import dev.jmoq.transport.TransportStats.StreamDirection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group streams are released when their group is over, not when the connection ends: a publisher sends
 * groups through the relay to a viewer, some finished (FIN) and some aborted (reset), and while both
 * sessions stay open the relay's open unidirectional streams, both the ones the publisher opened (ingest)
 * and the ones the relay opened to the viewer (egress), return to what they were before the first group
 * ({@code jmoq_streams_open}). Over every transport and for both protocol families (moq-lite and IETF
 * subgroup streams). Then the sessions close and every stream and session count returns to 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayStreamReleaseTest {
    private static final int FINISHED = 12;
    private static final int ABORTED = 4;

    private RelayServer relay;
    private final List<MoqClient> clients = new ArrayList<>();

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(2)).start();
    }

    @AfterAll
    void stop() {
        clients.forEach(MoqClient::close);
        relay.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String protocol : List.of("moq-lite-05", "moq-lite-04", "moqt-16", "moqt-20")) {
            for (String scheme : List.of("moqt", "https", "ws")) {
                all.add(Arguments.of(protocol, scheme));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("cases")
    void groupStreamsAreReleasedOnceTheirGroupIsOver(String protocol, String scheme) throws Exception {
        TransportKind kind = switch (scheme) {
            case "moqt" -> TransportKind.QUIC;
            case "https" -> TransportKind.WEBTRANSPORT;
            default -> TransportKind.WEBSOCKET;
        };
        TransportStats stats = relay.transportStats();
        MoqClient client = MoqClient.builder().insecure(true).threads(1).protocols(List.of(protocol)).build();
        clients.add(client);
        URI url = URI.create(scheme + "://127.0.0.1:" + relay.port() + "/");
        ClientSession pub = client.connect(url).get(15, TimeUnit.SECONDS);
        ClientSession viewer = client.connect(url).get(15, TimeUnit.SECONDS);
        String name = "release/" + protocol + "/" + scheme;
        try {
            Broadcast b = pub.publish(name);
            Track t = on(pub, () -> b.createTrack("video"));
            Await.until(name + " announced at the relay", () -> relay.origin().get(name) != null);
            Set<Long> started = ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> last = new CompletableFuture<>();
            Track sub = viewer.subscribe(name, "video");
            viewer.executor().execute(() -> TrackReader.ofSubscription(sub, viewer.executor(), new TrackReader.Handler() {
                @Override
                public void onGroupStart(long sequence) {
                    started.add(sequence);
                }

                @Override
                public void onFrame(long sequence, int index, ByteBuf frame) {
                    if (sequence == FINISHED + ABORTED) {
                        last.complete(null);
                    }
                }
            }).start());
            Await.until("the subscription reaches the publisher", () -> t.subscriberCount() > 0);
            // Setup streams (moq-lite-05, IETF 17+) live as long as their session: only groups must come and go.
            long inBefore = stats.streamsOpen(kind, StreamDirection.IN, true);
            long outBefore = stats.streamsOpen(kind, StreamDirection.OUT, true);
            long groupsBefore = relay.sessionStats().groupsIn.sum();

            // One group at a time: each reaches the relay (its stream is open there) before it ends, by its FIN
            // or, for the aborted ones, by a reset after its first frame.
            for (int g = 0; g < FINISHED + ABORTED + 1; g++) {
                int seq = g;
                Group group = on(pub, () -> {
                    Group created = t.createGroup(seq);
                    created.append(bytes("g" + seq + "f0"));
                    return created;
                });
                Await.until("group " + g + " reaches the relay", () -> relay.sessionStats().groupsIn.sum() > groupsBefore + seq);
                on(pub, () -> {
                    if (seq >= FINISHED && seq < FINISHED + ABORTED) {
                        group.abort(1);
                    } else {
                        group.append(bytes("g" + seq + "f1"));
                        group.finish();
                    }
                    return null;
                });
            }
            last.get(15, TimeUnit.SECONDS);
            assertTrue(started.size() >= FINISHED + 1, "the viewer got the finished groups: " + started);

            Await.until("the publisher's group streams are released at the relay (" + kind.label() + " uni in: "
                    + stats.streamsOpen(kind, StreamDirection.IN, true) + ", before " + inBefore + ")",
                    () -> stats.streamsOpen(kind, StreamDirection.IN, true) == inBefore);
            Await.until("the relay's group streams to the viewer are released",
                    () -> stats.streamsOpen(kind, StreamDirection.OUT, true) == outBefore);
            assertTrue(pub.closed().getNow(null) == null && viewer.closed().getNow(null) == null,
                    "both sessions are still open");
        } finally {
            pub.close();
            viewer.close();
        }
        Await.until("the sessions are gone", () -> relay.sessionCount() == 0);
        for (StreamDirection d : StreamDirection.values()) {
            for (boolean uni : new boolean[] {true, false}) {
                Await.until("no " + kind.label() + " stream open at the relay (" + d.label() + (uni ? " uni" : " bidi") + ")",
                        () -> stats.streamsOpen(kind, d, uni) == 0);
            }
        }
        Await.until("the sessions gauge is back at 0", () -> activeSessions() == 0);
        assertTrue(relay.metrics().scrape().contains("jmoq_streams_open{direction=\"in\",transport=\"" + kind.label()
                + "\",type=\"uni\"} 0.0"));
    }

    private long activeSessions() {
        return relay.sessionStats().sessionsOpened.sum() - relay.sessionStats().sessionsClosed.sum();
    }

    private static <T> T on(ClientSession s, Supplier<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.executor().execute(() -> {
            try {
                f.complete(r.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
