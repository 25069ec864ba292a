package dev.jmoq.wire.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole moq-lite-05 session between two real {@code @moq/net} 0.3.4 endpoints (recorded by
 * src/test/node/capture-session.mjs): every stream decodes with our codec to the values the client
 * used, and our encoder writes the same bytes back. The assertions also pin the session behaviour a
 * lite-05 peer expects (which streams open, in which order, what the server sends), documented in
 * docs/wire-moq-lite.md.
 */
class Lite05SessionTranscriptTest {
    private static final LiteVersion V = LiteVersion.DRAFT_05;
    private static final int MAX = LiteLimits.DEFAULT_MAX_MESSAGE;
    private static JsonNode transcript;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Lite05SessionTranscriptTest.class.getClassLoader()
                .getResourceAsStream("vectors/lite05-session-moq-net-0.3.4.json")) {
            assertNotNull(in, "missing transcript");
            transcript = new ObjectMapper().readTree(in);
        }
        assertEquals("0.3.4", transcript.get("version").asText());
        assertEquals("moq-lite-05", transcript.get("protocol").asText());
    }

    private static JsonNode stream(int i) {
        return transcript.get("streams").get(i);
    }

    private static ByteBuf bytes(JsonNode s, String field) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(s.get(field).asText()));
    }

    /** Reads one message, then checks that our encoder writes exactly the bytes it was read from. */
    private static <M extends LiteMessage> M read(ByteBuf in, MessageDecoder<M> decoder) throws ProtocolException {
        int start = in.readerIndex();
        M m = LiteCodec.tryRead(in, V, decoder, MAX);
        assertNotNull(m, "truncated message at " + start);
        ByteBuf again = Unpooled.buffer();
        LiteCodec.write(again, m, V);
        assertEquals(HexFormat.of().formatHex(Vectors.bytes(in.slice(start, in.readerIndex() - start))),
                Vectors.hex(again), "re-encoding of " + m);
        again.release();
        return m;
    }

    private static Setup setupOf(int i, String opener) throws ProtocolException {
        JsonNode s = stream(i);
        assertEquals(opener, s.get("opener").asText());
        assertEquals("uni", s.get("kind").asText());
        assertEquals("fin", s.get("sentEnd").asText(), "SETUP is the stream's only message, then FIN");
        ByteBuf in = bytes(s, "sent");
        assertEquals(LiteDataType.SETUP, LiteDataType.tryRead(in, V));
        Setup setup = read(in, Setup.DECODER);
        assertFalse(in.isReadable(), "nothing after SETUP");
        return setup;
    }

    @Test
    void bothSidesOpenTheirSetupStreamFirst() throws ProtocolException {
        Setup client = setupOf(0, "client");
        Setup server = setupOf(1, "server");
        // @moq/net sends only its origin (a mock transport has no stats, so probe is None; Role Both is absence).
        assertEquals(List.of(Setup.PARAM_ORIGIN), client.parameters().stream().map(LiteParameter::id).toList());
        assertEquals(Setup.PROBE_NONE, client.probe());
        assertEquals(Setup.ROLE_BOTH, client.role());
        assertEquals(null, client.path(), "WebTransport-style bindings carry no path parameter");
        assertNotEquals(0, client.origin());
        assertNotEquals(client.origin(), server.origin());
    }

    @Test
    void announceStreamStartsWithAnnounceOkCarryingTheResponderOrigin() throws ProtocolException {
        long clientOrigin = setupOf(0, "client").origin();
        long serverOrigin = setupOf(1, "server").origin();
        JsonNode s = stream(2);
        ByteBuf req = bytes(s, "sent");
        assertEquals(LiteControlType.ANNOUNCE, LiteControlType.tryRead(req, V));
        // ANNOUNCE_REQUEST: the prefix, and the subscriber's own origin as the hop to exclude.
        assertEquals(new AnnouncePlease("room", clientOrigin), read(req, AnnouncePlease.DECODER));
        assertFalse(req.isReadable());

        ByteBuf resp = bytes(s, "received");
        assertEquals(new AnnounceOk(serverOrigin, 1), read(resp, AnnounceOk.DECODER));
        // The publisher's own origin is in ANNOUNCE_OK only; a locally published broadcast has no hops.
        assertEquals(new Announce(true, "alice", List.of()), read(resp, Announce.DECODER));
        assertEquals(new Announce(false, "alice", List.of()), read(resp, Announce.DECODER));
        assertFalse(resp.isReadable());
    }

    @Test
    void trackStreamIsAnsweredWithOneTrackInfoAndFinBeforeTheSubscribeOpens() throws ProtocolException {
        int track = -1;
        int subscribe = -1;
        for (int i = 0; i < transcript.get("streams").size(); i++) {
            JsonNode s = stream(i);
            if (!s.get("kind").asText().equals("bidi")) {
                continue;
            }
            LiteControlType t = LiteControlType.tryRead(bytes(s, "sent"), V);
            if (t == LiteControlType.TRACK && track < 0) {
                track = i;
            } else if (t == LiteControlType.SUBSCRIBE && subscribe < 0) {
                subscribe = i;
            }
        }
        assertTrue(track >= 0 && subscribe > track, "the client reads TRACK_INFO before it sends SUBSCRIBE");
        JsonNode s = stream(track);
        ByteBuf req = bytes(s, "sent");
        LiteControlType.tryRead(req, V);
        assertEquals(new Track("room/alice", "video"), read(req, Track.DECODER));
        assertEquals("fin", s.get("sentEnd").asText());
        ByteBuf resp = bytes(s, "received");
        assertEquals(new TrackInfo(2, true, 5000, 90000), read(resp, TrackInfo.DECODER));
        assertFalse(resp.isReadable(), "TRACK_INFO is the sole message");
        assertEquals("fin", s.get("receivedEnd").asText());
    }

    @Test
    void subscribeIsAnsweredWithStartThenExclusiveEnd() throws ProtocolException {
        JsonNode s = stream(4);
        ByteBuf req = bytes(s, "sent");
        assertEquals(LiteControlType.SUBSCRIBE, LiteControlType.tryRead(req, V));
        assertEquals(new Subscribe(0, "room/alice", "video", 7, false, 1000, OptionalLong.of(0), OptionalLong.empty()),
                read(req, Subscribe.DECODER));
        assertFalse(req.isReadable());
        ByteBuf resp = bytes(s, "received");
        // No SUBSCRIBE_OK on lite-05: START with the resolved first group, END with the first group
        // that will never come (groups 0 and 1 went on streams; the datagram group 2 is not counted).
        assertEquals(new SubscribeStart(0), read(resp, SubscribeResponse.DECODER));
        assertEquals(new SubscribeEnd(2), read(resp, SubscribeResponse.DECODER));
        assertFalse(resp.isReadable());
        assertEquals("fin", s.get("receivedEnd").asText());
    }

    private record Decoded(long ts, String payload) {
    }

    /** Decodes frames (after a header for group streams) and re-encodes them with our encoder. */
    private static List<Decoded> frames(ByteBuf in, boolean groupStream, GroupHeader expectedHeader)
            throws ProtocolException {
        byte[] original = Vectors.bytes(in);
        ByteBuf again = Unpooled.buffer();
        GroupStreamEncoder enc = new GroupStreamEncoder(V);
        List<Decoded> out = new ArrayList<>();
        try (GroupStreamDecoder dec = groupStream
                ? GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, V, 1 << 20)
                : GroupStreamDecoder.forFetchStream(ByteBufAllocator.DEFAULT, V, 1 << 20)) {
            if (groupStream) {
                assertEquals(LiteDataType.GROUP, LiteDataType.tryRead(in, V));
            }
            dec.feed(in.retainedSlice());
            if (groupStream) {
                GroupHeader h = dec.readHeader();
                assertEquals(expectedHeader, h);
                enc.writeStreamHeader(again, h);
            }
            for (Frame f = dec.readFrame(); f != null; f = dec.readFrame()) {
                try {
                    out.add(new Decoded(f.timestamp(), f.payload().toString(StandardCharsets.UTF_8)));
                    enc.writeFrameHeader(again, f.timestamp(), f.payload().readableBytes());
                    again.writeBytes(f.payload(), f.payload().readerIndex(), f.payload().readableBytes());
                } finally {
                    f.release();
                }
            }
            dec.finish();
        }
        assertEquals(HexFormat.of().formatHex(original), Vectors.hex(again), "re-encoded frames");
        again.release();
        return out;
    }

    private static final List<Decoded> GROUP_0 = List.of(new Decoded(3000, "key"), new Decoded(1500, "b"),
            new Decoded(6000, ""));

    @Test
    void groupStreamsCarryZigzagTimestampDeltas() throws ProtocolException {
        JsonNode g0 = stream(5);
        assertEquals("server", g0.get("opener").asText());
        assertEquals("uni", g0.get("kind").asText());
        assertEquals(GROUP_0, frames(bytes(g0, "sent"), true, new GroupHeader(0, 0)));
        assertEquals("fin", g0.get("sentEnd").asText());
        // Each group stream's timestamps start again from 0.
        assertEquals(List.of(new Decoded(9000, "live")), frames(bytes(stream(6), "sent"), true, new GroupHeader(0, 1)));
    }

    @Test
    void fetchIsAnsweredWithBareFrames() throws ProtocolException {
        JsonNode s = stream(8);
        ByteBuf req = bytes(s, "sent");
        assertEquals(LiteControlType.FETCH, LiteControlType.tryRead(req, V));
        assertEquals(new Fetch("room/alice", "video", 0, 0), read(req, Fetch.DECODER));
        assertFalse(req.isReadable());
        assertEquals(GROUP_0, frames(bytes(s, "received"), false, null));
        assertEquals("fin", s.get("receivedEnd").asText());
        // @moq/net looks TRACK_INFO up again before a FETCH (the stream before it).
        assertEquals(LiteControlType.TRACK, LiteControlType.tryRead(bytes(stream(7), "sent"), V));
    }

    @Test
    void datagramCarriesAnAbsoluteTimestamp() throws ProtocolException {
        JsonNode d = transcript.get("datagrams").get(0);
        assertEquals("server", d.get("sender").asText());
        ByteBuf body = bytes(d, "body");
        Datagram dg = Datagram.decode(body, V);
        try {
            assertEquals(0, dg.subscribe());
            assertEquals(2, dg.sequence());
            assertEquals(12000, dg.timestamp());
            assertEquals("deadbeef", Vectors.hex(dg.payload()));
            ByteBuf again = Unpooled.buffer();
            Datagram.writeHeader(again, V, dg.subscribe(), dg.sequence(), dg.timestamp());
            again.writeBytes(dg.payload(), dg.payload().readerIndex(), dg.payload().readableBytes());
            assertEquals(d.get("body").asText(), Vectors.hex(again));
            again.release();
        } finally {
            dg.release();
        }
    }
}
