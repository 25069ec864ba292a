package dev.jmoq.wire.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every control-message vector captured from {@code @moq/net} 0.3.4 (src/test/node/capture-ietf.mjs)
 * decodes to the values the capture script wrote, and encodes back to the same bytes, per draft.
 */
class IetfVectorsTest {
    private static final Pattern ENTRY = Pattern.compile("\"(\\d\\d)/([a-z_]+)\"\\s*:\\s*\"([0-9a-f]*)\"");
    private static final TrackNamespace NS = TrackNamespace.of("moq-test", "interop");

    static Map<String, byte[]> load() throws IOException {
        try (InputStream in = IetfVectorsTest.class.getClassLoader().getResourceAsStream("vectors/ietf-moq-net-0.3.4.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, byte[]> out = new LinkedHashMap<>();
            Matcher m = ENTRY.matcher(json);
            while (m.find()) {
                out.put(m.group(1) + "/" + m.group(2), HexFormat.of().parseHex(m.group(3)));
            }
            return out;
        }
    }

    @Test
    void everyVectorDecodesToItsValuesAndEncodesBackByteForByte() throws Exception {
        Map<String, byte[]> vectors = load();
        assertEquals(163, vectors.size(), "vectors loaded");
        for (Map.Entry<String, byte[]> e : vectors.entrySet()) {
            String[] key = e.getKey().split("/");
            if (key[1].startsWith("subgroup_stream") || key[1].equals("fetch_stream")) {
                continue;
            }
            IetfVersion v = IetfVersion.valueOf("DRAFT_" + key[0]);
            ByteBuf in = Unpooled.wrappedBuffer(e.getValue());
            IetfMessage m = ControlCodec.tryRead(in, v, IetfLimits.MAX_CONTROL_MESSAGE);
            assertFalse(in.isReadable(), e.getKey() + " left bytes");
            check(key[1], v, m);
            ByteBuf out = Unpooled.buffer();
            ControlCodec.write(out, m, v);
            assertEquals(HexFormat.of().formatHex(e.getValue()), HexFormat.of().formatHex(bytes(out)), e.getKey());
            // Incomplete input consumes nothing.
            ByteBuf part = Unpooled.wrappedBuffer(e.getValue(), 0, e.getValue().length - 1);
            assertEquals(null, ControlCodec.tryRead(part, v, IetfLimits.MAX_CONTROL_MESSAGE), e.getKey());
            assertEquals(0, part.readerIndex(), e.getKey());
        }
    }

    private static void check(String name, IetfVersion v, IetfMessage m) {
        int d = v.draft();
        switch (name) {
            case "client_setup" -> {
                ClientSetup s = assertInstanceOf(ClientSetup.class, m);
                assertEquals(d == 14 ? List.of(0xff00000eL) : List.of(), s.versions());
                assertEquals(Octets.utf8("/room"), s.options().octets(SetupOption.PATH).orElseThrow());
                assertEquals(Octets.utf8("moq-js"), s.options().octets(SetupOption.MOQT_IMPLEMENTATION).orElseThrow());
                assertEquals(100, s.options().number(SetupOption.MAX_REQUEST_ID).orElseThrow());
            }
            case "server_setup" -> {
                ServerSetup s = assertInstanceOf(ServerSetup.class, m);
                assertEquals(d == 14 ? 0xff00000eL : v.code(), s.selectedVersion());
                assertEquals(100, s.options().number(SetupOption.MAX_REQUEST_ID).orElseThrow());
            }
            case "setup" -> {
                Setup s = assertInstanceOf(Setup.class, m);
                assertEquals(Octets.utf8("/room"), s.options().octets(SetupOption.PATH).orElseThrow());
                assertEquals(2, s.options().size());
            }
            case "max_request_id" -> assertEquals(new MaxRequestId(300), m);
            case "requests_blocked" -> assertEquals(new RequestsBlocked(70000), m);
            case "unsubscribe" -> assertEquals(new Unsubscribe(2), m);
            case "goaway" -> assertEquals(new Goaway("https://relay.example/next", d >= 17 ? 5000 : 0,
                    java.util.OptionalLong.empty()), m);
            case "goaway_empty" -> assertEquals(new Goaway(""), m);
            case "request_ok" -> assertEquals(new RequestOk(RequestKind.ANY, d <= 16 ? 4 : 0), m);
            case "request_error" -> assertEquals(new RequestError(d == 14 ? RequestKind.SUBSCRIBE : RequestKind.ANY,
                    d <= 16 ? 6 : 0, 0x10, d >= 16 ? 250 : 0, "not found", null), m);
            case "subscribe_largest" -> checkSubscribe(m, v, SubscriptionFilter.LARGEST_OBJECT);
            case "subscribe_next_group" -> checkSubscribe(m, v, SubscriptionFilter.NEXT_GROUP_START);
            case "subscribe_absolute_start" -> checkSubscribe(m, v, SubscriptionFilter.absoluteStart(new Location(5, 2)));
            // @moq/net writes End Group as a delta from the start on every draft; drafts 14-16 define it as
            // absolute (the delta came with 17), so on those drafts the same bytes read as end group 295.
            case "subscribe_absolute_range" -> checkSubscribe(m, v,
                    SubscriptionFilter.absoluteRange(new Location(5, 2), d >= 17 ? 300 : 295));
            case "subscribe_relative" -> checkSubscribe(m, v, SubscriptionFilter.relative(1));
            case "subscribe_ok" -> {
                SubscribeOk ok = assertInstanceOf(SubscribeOk.class, m);
                assertEquals(d <= 16 ? 8 : 0, ok.requestId());
                assertEquals(1000, ok.trackAlias());
                assertTrue(ok.largest().isEmpty());
                // Track Properties (17+): DEFAULT_PUBLISHER_GROUP_ORDER (0x22) = 2, kept raw.
                assertEquals(d >= 17 ? Octets.hex("2202") : Octets.EMPTY, ok.trackProperties());
            }
            case "request_update" -> {
                RequestUpdate u = assertInstanceOf(RequestUpdate.class, m);
                assertEquals(10, u.requestId());
            }
            case "publish_namespace" -> assertEquals(new PublishNamespace(12, NS, Parameters.EMPTY), m);
            case "publish_namespace_done" -> assertEquals(d <= 15 ? new PublishNamespaceDone(0, NS)
                    : new PublishNamespaceDone(12, TrackNamespace.EMPTY), m);
            case "publish_namespace_cancel" -> assertEquals(d <= 15 ? new PublishNamespaceCancel(0, NS, 1, "gone")
                    : new PublishNamespaceCancel(12, TrackNamespace.EMPTY, 1, "gone"), m);
            case "subscribe_namespace" -> assertEquals(new SubscribeNamespace(14, TrackNamespace.of("moq-test"),
                    d == 16 || d == 17 ? SubscribeNamespace.NAMESPACE : 0, Parameters.EMPTY), m);
            case "namespace" -> assertEquals(new Namespace(TrackNamespace.of("interop")), m);
            case "namespace_done" -> assertEquals(new NamespaceDone(TrackNamespace.of("interop")), m);
            case "publish_blocked" -> assertEquals(new PublishBlocked(TrackNamespace.of("interop"), Octets.utf8("test-track")), m);
            case "publish" -> {
                Publish p = assertInstanceOf(Publish.class, m);
                assertEquals(16, p.requestId());
                assertEquals(NS, p.namespace());
                assertEquals(Octets.utf8("test-track"), p.trackName());
                assertEquals(1001, p.trackAlias());
                assertEquals(d >= 17 && d <= 19 ? java.util.Optional.empty() : java.util.Optional.of(new Location(300, 4)),
                        p.parameters().location(MessageParameter.LARGEST_OBJECT));
                assertEquals(1, p.parameters().number(MessageParameter.FORWARD).orElseThrow());
                assertEquals(d >= 17 ? Octets.hex("2202") : Octets.EMPTY, p.trackProperties());
            }
            case "publish_done" -> assertEquals(new PublishDone(d <= 16 ? 8 : 0, PublishDoneCode.TRACK_ENDED.code(v), 0,
                    "track ended"), m);
            case "track_status" -> {
                TrackStatus t = assertInstanceOf(TrackStatus.class, m);
                assertEquals(18, t.requestId());
                assertEquals(NS, t.namespace());
                assertEquals(Octets.utf8("test-track"), t.trackName());
            }
            default -> throw new AssertionError("no expectation for " + name);
        }
    }

    @Test
    void dataStreamVectorsDecodeToTheirObjectsAndEncodeBack() throws Exception {
        int checked = 0;
        for (Map.Entry<String, byte[]> e : load().entrySet()) {
            String[] key = e.getKey().split("/");
            IetfVersion v = IetfVersion.valueOf("DRAFT_" + key[0]);
            if (key[1].startsWith("subgroup_stream")) {
                checkSubgroup(v, key[1].endsWith("default_priority"), e.getValue());
                checked++;
            } else if (key[1].equals("fetch_stream")) {
                checkFetch(v, e.getValue());
                checked++;
            }
        }
        assertEquals(7 + 6 + 6, checked);
    }

    private static void checkSubgroup(IetfVersion v, boolean defaultPriority, byte[] wire) throws Exception {
        SubgroupHeader expected = defaultPriority
                ? new SubgroupHeader(5, 300, SubgroupHeader.MODE_ZERO, 0, -1, false, false, v.hasFirstObjectBit())
                : new SubgroupHeader(5, 300, SubgroupHeader.MODE_EXPLICIT, 2, 7, true, true, v.hasFirstObjectBit());
        String[] payloads = {"hello", "", ""};
        long[] statuses = {ObjectStatus.NORMAL, ObjectStatus.NORMAL, ObjectStatus.END_OF_GROUP};
        try (SubgroupStreamDecoder dec = new SubgroupStreamDecoder(io.netty.buffer.ByteBufAllocator.DEFAULT, v, 1024)) {
            dec.feed(Unpooled.wrappedBuffer(wire));
            assertEquals(expected, dec.readHeader(), v.toString());
            SubgroupStreamEncoder enc = new SubgroupStreamEncoder(v, expected);
            ByteBuf out = Unpooled.buffer();
            enc.writeHeader(out);
            for (int i = 0; i < 3; i++) {
                IetfObject o = dec.readObject();
                assertEquals(i, o.objectId());
                assertEquals(300, o.groupId());
                assertEquals(expected.subgroupId(), o.subgroupId());
                assertEquals(payloads[i], o.payload().toString(StandardCharsets.UTF_8));
                assertEquals(statuses[i], o.status());
                assertEquals(defaultPriority ? null : Unpooled.EMPTY_BUFFER, o.properties());
                enc.writeObjectHeader(out, o.objectId(), o.properties(), o.payload().readableBytes(), o.status());
                out.writeBytes(o.payload());
                o.release();
            }
            dec.finish();
            assertEquals(HexFormat.of().formatHex(wire), HexFormat.of().formatHex(bytes(out)), v.toString());
        }
    }

    private static void checkFetch(IetfVersion v, byte[] wire) throws Exception {
        try (FetchStreamDecoder dec = new FetchStreamDecoder(io.netty.buffer.ByteBufAllocator.DEFAULT, v, 1024, false)) {
            dec.feed(Unpooled.wrappedBuffer(wire));
            assertEquals(new FetchHeader(20), dec.readHeader());
            FetchStreamEncoder enc = new FetchStreamEncoder(v, false);
            ByteBuf out = Unpooled.buffer();
            enc.writeHeader(out, 20);
            for (int i = 0; i < 3; i++) {
                IetfObject o = assertInstanceOf(IetfObject.class, dec.readEntry());
                assertEquals(new Location(10, 4 + i), o.location());
                assertEquals(0, o.subgroupId());
                assertEquals(0, o.publisherPriority());
                assertEquals("f" + i, o.payload().toString(StandardCharsets.UTF_8));
                enc.writeObjectHeader(out, o.groupId(), o.subgroupId(), o.objectId(), o.publisherPriority(), o.properties(),
                        o.payload().readableBytes(), o.status());
                out.writeBytes(o.payload());
                o.release();
            }
            dec.finish();
            assertEquals(HexFormat.of().formatHex(wire), HexFormat.of().formatHex(bytes(out)), v.toString());
        }
    }

    private static void checkSubscribe(IetfMessage m, IetfVersion v, SubscriptionFilter filter) {
        Subscribe s = assertInstanceOf(Subscribe.class, m);
        assertEquals(8, s.requestId());
        assertEquals(NS, s.namespace());
        assertEquals(Octets.utf8("test-track"), s.trackName());
        assertEquals(200, s.subscriberPriority());
        assertEquals(filter, s.filter());
        assertEquals(2, s.parameters().number(MessageParameter.GROUP_ORDER).orElseThrow());
        assertEquals(1, s.parameters().number(MessageParameter.FORWARD).orElseThrow());
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
