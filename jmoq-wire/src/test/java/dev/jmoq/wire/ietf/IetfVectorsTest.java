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
        assertTrue(vectors.size() == 89, "vectors loaded: " + vectors.size());
        for (Map.Entry<String, byte[]> e : vectors.entrySet()) {
            String[] key = e.getKey().split("/");
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
            default -> throw new AssertionError("no expectation for " + name);
        }
    }

    private static void checkSubscribe(IetfMessage m, IetfVersion v, SubscriptionFilter filter) {
        Subscribe s = assertInstanceOf(Subscribe.class, m);
        assertEquals(8, s.requestId());
        assertEquals(NS, s.namespace());
        assertEquals(Octets.utf8("test-track"), s.trackName());
        assertEquals(200, s.subscriberPriority());
        assertEquals(filter, s.filter(v));
        assertEquals(2, s.parameters().number(MessageParameter.GROUP_ORDER).orElseThrow());
        assertEquals(1, s.parameters().number(MessageParameter.FORWARD).orElseThrow());
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
