package dev.jmoq.relay.ietf;

import static dev.jmoq.relay.ietf.IetfRelayTest.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jmoq.core.client.ClientSession;
import dev.jmoq.core.client.MoqClient;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.SessionFactory;
import dev.jmoq.relay.RelayConfig;
import dev.jmoq.relay.RelayServer;
import dev.jmoq.testkit.Await;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfObject;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.Publish;
import dev.jmoq.wire.ietf.RequestError;
import dev.jmoq.wire.ietf.RequestErrorCode;
import dev.jmoq.wire.ietf.RequestKind;
import dev.jmoq.wire.ietf.RequestOk;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SubgroupStreamDecoder;
import dev.jmoq.wire.ietf.SubscribeTracks;
import dev.jmoq.wire.ietf.TrackNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SUBSCRIBE_TRACKS (draft-ietf-moq-transport-18) at the relay: a raw draft-18 subscriber asks for the
 * tracks under a prefix and gets REQUEST_OK, then a PUBLISH for each track published there (one already
 * there, one published later by the Java client's PUBLISH), none for a track outside the prefix; its
 * REQUEST_OK to the PUBLISH brings the track's objects. A second SUBSCRIBE_TRACKS with an overlapping
 * prefix is refused with PREFIX_OVERLAP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IetfSubscribeTracksTest {
    private static final IetfVersion V = IetfVersion.DRAFT_18;
    private RelayServer relay;
    private MoqClient client;
    private URI url;

    @BeforeAll
    void start() {
        relay = new RelayServer(RelayConfig.defaults().withListen("127.0.0.1", 0).withEventLoops(1)).start();
        client = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18")).build();
        url = URI.create("moqt://127.0.0.1:" + relay.port() + "/");
    }

    @AfterAll
    void stop() {
        client.close();
        relay.close();
    }

    private static ByteBuf framed(IetfMessage m) {
        return RawIetfFamily.framed(m, V);
    }

    /** The PUBLISHes the relay sends the raw subscriber, each answered with REQUEST_OK. */
    private static final class Offers {
        final BlockingQueue<Publish> received = new LinkedBlockingQueue<>();

        void accept(BidiStream s) {
            CompositeByteBuf in = Unpooled.compositeBuffer();
            s.setReader(new StreamReader() {
                private boolean answered;

                @Override
                public void onData(ByteBuf data) {
                    if (answered) {
                        data.release(); // PUBLISH_DONE and the like: not looked at here
                        return;
                    }
                    in.addComponent(true, data);
                    try {
                        IetfMessage m = ControlCodec.tryRead(in, V, 1 << 16);
                        if (m instanceof Publish p) {
                            answered = true;
                            in.release();
                            s.write(framed(new RequestOk(RequestKind.PUBLISH, p.requestId())));
                            s.flush();
                            received.add(p);
                        }
                    } catch (ProtocolException e) {
                        throw new AssertionError(e);
                    }
                }

                @Override
                public void onFinish() {
                    if (!answered) {
                        answered = true;
                        in.release();
                    }
                }

                @Override
                public void onReset(long code) {
                    onFinish();
                }
            });
        }

        String next() throws InterruptedException {
            Publish p = received.poll(15, TimeUnit.SECONDS);
            assertNotNull(p, "a PUBLISH within 15 s");
            return String.join("/", p.namespace().fields().stream().map(f -> f.utf8()).toList()) + " " + p.trackName().utf8();
        }
    }

    private record Raw(MoqClient client, RawIetfFamily.RawSession session, Offers offers) implements AutoCloseable {
        @Override
        public void close() {
            session.release();
            client.close();
        }
    }

    /** A raw draft-18 session whose first request is SUBSCRIBE_TRACKS for {@code prefix}. */
    private Raw subscribeTracks(String prefix) throws Exception {
        Offers offers = new Offers();
        RawIetfFamily raw = new RawIetfFamily("moqt-18", s -> {
            s.uni(framed(new Setup(Parameters.EMPTY)));
            s.bidi(framed(new SubscribeTracks(0, TrackNamespace.of(prefix), Parameters.EMPTY)));
        });
        raw.prepare = s -> s.onBidi = offers::accept;
        MoqClient c = MoqClient.builder().insecure(true).threads(1).protocols(List.of("moqt-18"))
                .sessionFactory(new SessionFactory(List.of(raw))).build();
        c.connect(url).get(15, TimeUnit.SECONDS);
        Raw r = new Raw(c, raw.session.get(15, TimeUnit.SECONDS), offers);
        assertInstanceOf(RequestOk.class, reply(r.session(), 0));
        return r;
    }

    /** The first control message on the raw session's request stream {@code index}, once it came. */
    private static IetfMessage reply(RawIetfFamily.RawSession s, int index) {
        IetfMessage[] got = new IetfMessage[1];
        Await.until("an answer on request stream " + index, () -> {
            if (s.bidiReplies.size() <= index) {
                return false;
            }
            ByteBuf b = s.bidiReply(index);
            try {
                got[0] = ControlCodec.tryRead(b, V, 1 << 16);
            } catch (ProtocolException e) {
                throw new AssertionError(e);
            } finally {
                b.release();
            }
            return got[0] != null;
        });
        return got[0];
    }

    /** The payloads of the next subgroup stream the raw session received. */
    private static List<String> nextStream(RawIetfFamily.RawSession s) throws Exception {
        ByteBuf stream = s.uniStreams.poll(15, TimeUnit.SECONDS);
        assertNotNull(stream, "a subgroup stream within 15 s");
        try (SubgroupStreamDecoder d = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, V, 1 << 20)) {
            d.feed(stream);
            assertNotNull(d.readHeader());
            List<String> out = new ArrayList<>();
            IetfObject o;
            while ((o = d.readObject()) != null) {
                out.add(o.payload().toString(StandardCharsets.UTF_8));
                o.payload().release();
                if (o.properties() != null) {
                    o.properties().release();
                }
            }
            return out;
        }
    }

    private static void write(ClientSession pub, Track t, long group, String payload) throws Exception {
        on(pub, () -> {
            Group g = t.createGroup(group);
            g.append(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
            g.finish();
            return null;
        });
    }

    @Test
    void tracksUnderThePrefixArePublishedToTheSubscriber() throws Exception {
        try (ClientSession pub = client.connect(url).get(15, TimeUnit.SECONDS)) {
            pub.publishTrack("elsewhere/b", "video").get(15, TimeUnit.SECONDS);
            Track before = pub.publishTrack("offers/a", "video").get(15, TimeUnit.SECONDS);
            try (Raw raw = subscribeTracks("offers")) {
                // The track there already: offered at once (the one outside the prefix never is).
                assertEquals("offers/a video", raw.offers().next());
                write(pub, before, 0, "a0");
                assertEquals(List.of("a0"), nextStream(raw.session()));
                // A track published later.
                Track later = pub.publishTrack("offers/c", "audio").get(15, TimeUnit.SECONDS);
                assertEquals("offers/c audio", raw.offers().next());
                write(pub, later, 0, "c0");
                assertEquals(List.of("c0"), nextStream(raw.session()));
            }
        }
    }

    @Test
    void anOverlappingPrefixIsRefused() throws Exception {
        try (Raw raw = subscribeTracks("overlap")) {
            raw.session().bidi(framed(new SubscribeTracks(2, TrackNamespace.of("overlap", "inner"), Parameters.EMPTY)));
            RequestError e = assertInstanceOf(RequestError.class, reply(raw.session(), 1));
            assertEquals(RequestErrorCode.PREFIX_OVERLAP.code(V), e.errorCode());
        }
    }
}
