package dev.jmoq.wire.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Our encoder writes exactly the bytes the npm clients write, and our decoder reads those bytes back
 * to the values the clients encoded. Vectors: src/test/resources/vectors, made by capture.mjs.
 */
class LiteVectorsTest {
    private static final int MAX = LiteLimits.DEFAULT_MAX_MESSAGE;

    /** How one vector is produced with our encoder and checked with our decoder. */
    private interface Scenario {
        void encode(ByteBuf out, LiteVersion v);

        void decode(ByteBuf in, LiteVersion v) throws ProtocolException;
    }

    /** A single framed message: what we encode, and what the decoder must give back in draft v. */
    private static Scenario message(java.util.function.Function<LiteVersion, LiteMessage> sent,
            java.util.function.Function<LiteVersion, LiteMessage> received) {
        return new Scenario() {
            @Override
            public void encode(ByteBuf out, LiteVersion v) {
                LiteCodec.write(out, sent.apply(v), v);
            }

            @Override
            public void decode(ByteBuf in, LiteVersion v) throws ProtocolException {
                LiteMessage expected = received.apply(v);
                assertEquals(expected, LiteCodec.tryRead(in, v, Samples.decoderFor(expected), MAX));
            }
        };
    }

    private static Scenario message(LiteMessage m) {
        return message(v -> m, v -> m);
    }

    private static final List<String[]> GROUP_FRAMES = List.of(
            new String[] {"1000", "hello"}, new String[] {"990", ""}, new String[] {"70000", "x".repeat(70)});

    private static final Map<String, Scenario> SCENARIOS = Map.ofEntries(
            Map.entry("announce_please", message(new AnnouncePlease("room", 0))),
            Map.entry("announce_please_hop", message(v -> new AnnouncePlease("room/sub", 123456789),
                    v -> new AnnouncePlease("room/sub", v.hasExcludeHop() ? 123456789 : 0))),
            Map.entry("announce_please_empty", message(new AnnouncePlease("", 0))),
            Map.entry("announce_active", message(v -> new Announce(true, "alice", List.of(1L, 70000L)),
                    v -> new Announce(true, "alice", Samples.announceHops(v)))),
            Map.entry("announce_ended", message(new Announce(false, "bob", List.of()))),
            Map.entry("announce_init", message(new AnnounceInit(List.of("a", "b/c", "ünï")))),
            Map.entry("announce_ok", message(new AnnounceOk(987654321, 3))),
            Map.entry("subscribe", message(
                    v -> new Subscribe(7, "room/alice", "video", 200, true, 1500, OptionalLong.of(0), Samples.NONE),
                    v -> v.hasSubscribeRange()
                            ? new Subscribe(7, "room/alice", "video", 200, true, 1500, OptionalLong.of(0), Samples.NONE)
                            : Subscribe.basic(7, "room/alice", "video", 200))),
            Map.entry("subscribe_bare", message(Subscribe.basic(1L << 40, "b", "", 0))),
            Map.entry("subscribe_update", message(
                    v -> new SubscribeUpdate(9, false, 0, OptionalLong.of(3), Samples.NONE),
                    v -> v.hasSubscribeRange() ? new SubscribeUpdate(9, false, 0, OptionalLong.of(3), Samples.NONE)
                            : SubscribeUpdate.priorityOnly(9))),
            Map.entry("subscribe_update_end", message(
                    v -> new SubscribeUpdate(255, true, 20000, OptionalLong.of(100), OptionalLong.of(200)),
                    v -> v.hasSubscribeRange()
                            ? new SubscribeUpdate(255, true, 20000, OptionalLong.of(100), OptionalLong.of(200))
                            : SubscribeUpdate.priorityOnly(255))),
            Map.entry("subscribe_ok", message(
                    v -> new SubscribeOk(5, true, 250, OptionalLong.of(10), OptionalLong.of(20)),
                    v -> switch (v.subscribeOkLayout()) {
                        case PRIORITY -> SubscribeOk.ofPriority(5);
                        case EMPTY, ABSENT -> SubscribeOk.ofPriority(0);
                        case FULL -> new SubscribeOk(5, true, 250, OptionalLong.of(10), OptionalLong.of(20));
                    })),
            Map.entry("subscribe_drop", message(new SubscribeDrop(5, 7, 2))),
            Map.entry("subscribe_start", message(new SubscribeStart(1234))),
            Map.entry("subscribe_end", message(new SubscribeEnd(0))),
            Map.entry("fetch", message(new Fetch("room/alice", "video", 1, 42))),
            Map.entry("probe", message(v -> new Probe(2_500_000, 33), v -> new Probe(2_500_000, v.hasProbeRtt() ? 33 : 0))),
            Map.entry("probe_unknown", message(new Probe(0, 0))),
            Map.entry("goaway", message(new Goaway("https://relay.example/next"))),
            Map.entry("session_client", message(new SessionClient(List.of(0xff0dad02L, 0xff0dad01L),
                    List.of(new LiteParameter(2, new byte[] {1, 2, 3}))))),
            Map.entry("session_server", message(v -> new SessionServer(v.code(), List.of()),
                    v -> new SessionServer(v.code(), List.of()))),
            Map.entry("session_info", message(new SessionInfo(1_500_000))),
            Map.entry("setup_server", message(Setup.of(Setup.PROBE_REPORT, null, Setup.ROLE_BOTH, 19088743))),
            Map.entry("setup_client", message(Setup.of(Setup.PROBE_INCREASE, "room/alice?jwt=abc", Setup.ROLE_SUBSCRIBER, 0))),
            Map.entry("track", message(new Track("room/alice", "video"))),
            Map.entry("track_info", message(new TrackInfo(3, true, 5000, 90000))),
            Map.entry("setup_empty", new Scenario() {
                @Override
                public void encode(ByteBuf out, LiteVersion v) {
                    LiteDataType.SETUP.write(out);
                    LiteCodec.write(out, Setup.of(Setup.PROBE_NONE, null, Setup.ROLE_BOTH, 0), v);
                }

                @Override
                public void decode(ByteBuf in, LiteVersion v) throws ProtocolException {
                    assertEquals(LiteDataType.SETUP, LiteDataType.tryRead(in, v));
                    Setup s = LiteCodec.tryRead(in, v, Setup.DECODER, MAX);
                    assertEquals(List.of(), s.parameters());
                    assertEquals(Setup.PROBE_NONE, s.probe());
                    assertEquals(null, s.path());
                }
            }),
            Map.entry("client_setup", new Scenario() {
                final ClientSetup expected = new ClientSetup(List.of(0xff0dad02L, 0xff0dad01L, 0xff00000eL),
                        Samples.jsSetupParameters());

                @Override
                public void encode(ByteBuf out, LiteVersion v) {
                    LiteControlType.CLIENT_COMPAT.write(out);
                    LiteCodec.write(out, expected, v);
                }

                @Override
                public void decode(ByteBuf in, LiteVersion v) throws ProtocolException {
                    assertEquals(LiteControlType.CLIENT_COMPAT, LiteControlType.tryRead(in, v));
                    assertEquals(expected, LiteCodec.tryRead(in, v, ClientSetup.DECODER, MAX));
                }
            }),
            Map.entry("server_setup", new Scenario() {
                @Override
                public void encode(ByteBuf out, LiteVersion v) {
                    LiteControlType.SERVER_COMPAT.write(out);
                    LiteCodec.write(out, new ServerSetup(v.code(), Samples.jsSetupParameters()), v);
                }

                @Override
                public void decode(ByteBuf in, LiteVersion v) throws ProtocolException {
                    assertEquals(LiteControlType.SERVER_COMPAT.code(), LiteCodec.tryReadVarint(in));
                    ServerSetup s = LiteCodec.tryRead(in, v, ServerSetup.DECODER, MAX);
                    assertEquals(new ServerSetup(v.code(), Samples.jsSetupParameters()), s);
                    assertEquals(v, LiteVersion.fromCode(s.version()));
                }
            }),
            Map.entry("datagram", new Scenario() {
                @Override
                public void encode(ByteBuf out, LiteVersion v) {
                    Datagram.writeHeader(out, v, 7, 12, 123456);
                    out.writeBytes(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
                }

                @Override
                public void decode(ByteBuf in, LiteVersion v) throws ProtocolException {
                    Datagram d = Datagram.decode(in, v);
                    try {
                        assertEquals(7, d.subscribe());
                        assertEquals(12, d.sequence());
                        assertEquals(123456, d.timestamp());
                        assertEquals("deadbeef", Vectors.hex(d.payload()));
                    } finally {
                        d.release();
                    }
                    in.skipBytes(in.readableBytes());
                }
            }),
            Map.entry("group_stream", new Scenario() {
                @Override
                public void encode(ByteBuf out, LiteVersion v) {
                    GroupStreamEncoder enc = new GroupStreamEncoder(v);
                    enc.writeStreamHeader(out, new GroupHeader(7, 1_000_000));
                    for (String[] f : GROUP_FRAMES) {
                        byte[] payload = f[1].getBytes(StandardCharsets.UTF_8);
                        enc.writeFrameHeader(out, Long.parseLong(f[0]), payload.length);
                        out.writeBytes(payload);
                    }
                }

                @Override
                public void decode(ByteBuf in, LiteVersion v) throws ProtocolException {
                    assertEquals(LiteDataType.GROUP, LiteDataType.tryRead(in, v));
                    try (GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ByteBufAllocator.DEFAULT, v, 1024)) {
                        dec.feed(in.retainedSlice());
                        in.skipBytes(in.readableBytes());
                        assertEquals(new GroupHeader(7, 1_000_000), dec.readHeader());
                        for (String[] f : GROUP_FRAMES) {
                            Frame frame = dec.readFrame();
                            assertNotNull(frame);
                            try {
                                assertEquals(v.hasFrameTimestamps() ? Long.parseLong(f[0]) : Frame.NO_TIMESTAMP,
                                        frame.timestamp());
                                assertEquals(f[1], frame.payload().toString(StandardCharsets.UTF_8));
                            } finally {
                                frame.release();
                            }
                        }
                        assertEquals(null, dec.readFrame());
                        dec.finish();
                    }
                }
            }));

    @TestFactory
    Stream<DynamicTest> moqLiteVectors() throws Exception {
        return tests(Vectors.MOQ_LITE);
    }

    @TestFactory
    Stream<DynamicTest> moqNetVectors() throws Exception {
        return tests(Vectors.MOQ_NET);
    }

    private Stream<DynamicTest> tests(String resource) throws Exception {
        Map<String, byte[]> vectors = Vectors.load(resource);
        assertTrue(vectors.size() > 50, "expected the full vector set in " + resource);
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : vectors.entrySet()) {
            String[] key = e.getKey().split("/");
            LiteVersion v = Vectors.version(key[0]);
            Scenario s = SCENARIOS.get(key[1]);
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                assertNotNull(s, "no scenario for vector " + e.getKey());
                ByteBuf out = Unpooled.buffer();
                try {
                    s.encode(out, v);
                    assertEquals(HexFormat.of().formatHex(e.getValue()), Vectors.hex(out), "encoding of " + e.getKey());
                } finally {
                    out.release();
                }
                ByteBuf in = Vectors.wrap(e.getValue());
                try {
                    s.decode(in, v);
                    assertFalse(in.isReadable(), "decoder left " + in.readableBytes() + " bytes of " + e.getKey());
                } finally {
                    in.release();
                }
            }));
        }
        return tests.stream();
    }

    /** Both packages agree wherever they share a draft, so one Java codec serves both. */
    @Test
    void packagesAgreeOnSharedDrafts() throws Exception {
        Map<String, byte[]> lite = Vectors.load(Vectors.MOQ_LITE);
        Map<String, byte[]> net = Vectors.load(Vectors.MOQ_NET);
        for (Map.Entry<String, byte[]> e : lite.entrySet()) {
            assertNotNull(net.get(e.getKey()), e.getKey());
            assertEquals(HexFormat.of().formatHex(e.getValue()), HexFormat.of().formatHex(net.get(e.getKey())), e.getKey());
        }
    }
}
