package dev.jmoq.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.Origin;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionConfig;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.ClientOptions;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.websocket.QmuxSettings;
import dev.jmoq.transport.websocket.Subprotocol;
import dev.jmoq.transport.websocket.WebSocketClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subscription whose last requester leaves while the relay still waits for stream credit from the
 * publisher is never sent upstream (issue 10, fault 5): the publisher grants 100 bidi streams, viewers ask
 * for 130 tracks, the 30 that wait are let go, then the rest: the publisher sees exactly the 100 SUBSCRIBEs
 * that were forwarded, and none stays open.
 */
class RelayPendingSubscribeTest {
    private static final int GRANTED = 100;
    private static final int PENDING = 30;

    private RelayServer relay;
    private MoqClient client;

    @BeforeEach
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1).toBuilder()
                .trackLinger(Duration.ZERO).build()).start();
        client = MoqClient.builder().insecure(true).build();
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    /** A moq-lite-04 publisher over qmux that lets the relay open only {@code maxStreams} bidi streams at once. */
    private Session publisher(Origin local, SessionStats stats, long maxStreams) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + relay.port() + "/");
        MoqConnection c = WebSocketClient.connect(uri,
                new ClientOptions(client.eventLoops(), List.of("moq-lite-04"), false, List.of(), 10_000),
                QmuxSettings.defaults().withMaxStreams(maxStreams), Subprotocol.preference(List.of("moq-lite-04")))
                .get(10, TimeUnit.SECONDS);
        Session session = c.eventLoop().submit(() -> {
            Session s = SessionFactory.defaults().create(new SessionContext(c,
                    SessionConfig.client().withOriginId(SessionConfig.randomOriginId()), new Origin(), local, true,
                    stats, new EgressStats(), null));
            s.start();
            return s;
        }).get(10, TimeUnit.SECONDS);
        session.ready().get(10, TimeUnit.SECONDS);
        return session;
    }

    private static int subscribed(List<Track> tracks) {
        int n = 0;
        for (Track t : tracks) {
            n += t.subscriberCount();
        }
        return n;
    }

    @Test
    void aSubscriptionLetGoWhileWaitingForStreamCreditIsNeverSent() throws Exception {
        Origin local = new Origin();
        SessionStats pubStats = new SessionStats();
        // One more than the forwarded subscriptions: the relay's ANNOUNCE_PLEASE takes a stream too.
        Session pub = publisher(local, pubStats, GRANTED + 1);
        Broadcast b = new Broadcast("p/many", SessionConfig.client().cache());
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i <= GRANTED + PENDING; i++) {
            tracks.add(b.createTrack("t" + i));
        }
        local.announce(b);
        Await.until("the relay lists the broadcast", () -> relay.origin().get("p/many") != null);

        ClientSession first = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        for (int i = 0; i < GRANTED; i++) {
            first.subscribe("p/many", "t" + i);
        }
        Await.until("the publisher serves the first 100", () -> subscribed(tracks) == GRANTED);
        ClientSession second = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        for (int i = GRANTED; i < GRANTED + PENDING; i++) {
            second.subscribe("p/many", "t" + i);
        }
        Await.until("the relay has the 30 tracks waiting on the publisher",
                () -> relay.origin().get("p/many").tracks().size() == GRANTED + PENDING);

        // The viewer of the waiting ones leaves, then the one of the forwarded ones.
        second.close();
        Await.until("the waiting tracks are let go", () -> relay.origin().get("p/many").tracks().size() == GRANTED);
        first.close();
        Await.until("the forwarded subscriptions end at the publisher", () -> subscribed(tracks) == 0);

        // A later subscription queues behind anything still waiting, so when it arrives nothing withdrawn can follow.
        ClientSession third = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/")).get(15, TimeUnit.SECONDS);
        Track probe = tracks.get(GRANTED + PENDING);
        third.subscribe("p/many", probe.name());
        Await.until("the probe subscription reaches the publisher", () -> probe.subscriberCount() == 1);
        assertEquals(GRANTED + 1, pubStats.subscribesServed.sum(), "SUBSCRIBEs the publisher received");
        assertEquals(1, subscribed(tracks), "subscriptions open at the publisher");
        third.close();
        pub.close(SessionError.NO_ERROR, "done");
    }
}
