package dev.jmoq.wire.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Malformed input yields the draft's code; data streams and datagrams round-trip on every draft. */
class IetfMalformedAndDataTest {

    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(h));
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void unknownTypeTruncatedBodyAndOversizeLengthArePROTOCOL_VIOLATION(IetfVersion v) {
        // 0x3F is no message in any draft.
        ProtocolException unknown = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(hex("3f0000"), v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), unknown.code());
        assertTrue(unknown.sessionFatal());
        // GOAWAY whose URI length runs past the body.
        ProtocolException truncated = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(hex("1000020561"), v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), truncated.code());
        // A length above the limit fails before the body arrives.
        ProtocolException oversize = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(hex("10ffff"), v, 1024));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), oversize.code());
        // Trailing bytes in a body (GOAWAY: URI, [timeout], [draft 18: request id], then one byte too many).
        ProtocolException trailing = assertThrows(ProtocolException.class,
                () -> ControlCodec.tryRead(hex("10000400000000"), v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), trailing.code());
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void namespaceWithTooManyFieldsIsRejectedBeforeAllocation(IetfVersion v) {
        ByteBuf body = Unpooled.buffer();
        Wire.writeVarint(body, v, 1); // request id
        if (v.hasRequiredRequestIdDelta()) {
            Wire.writeVarint(body, v, 0);
        }
        Wire.writeVarint(body, v, 33); // 33 namespace fields
        ByteBuf msg = Unpooled.buffer();
        Wire.writeVarint(msg, v, PublishNamespace.TYPE);
        msg.writeShort(body.readableBytes());
        msg.writeBytes(body);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(msg, v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void fullTrackNameOver4096BytesAndBadUtf8AreRejected(IetfVersion v) {
        byte[] big = new byte[3000];
        Subscribe s = new Subscribe(1, new TrackNamespace(java.util.List.of(Octets.of(big))), Octets.of(new byte[1500]),
                Parameters.EMPTY);
        ByteBuf out = Unpooled.buffer();
        ControlCodec.write(out, s, v);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(out, v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
        // GOAWAY whose URI is not UTF-8.
        ByteBuf goaway = Unpooled.buffer();
        Wire.writeVarint(goaway, v, Goaway.TYPE);
        int lengthAt = goaway.writerIndex();
        goaway.writeShort(0);
        Wire.writeVarint(goaway, v, 2);
        goaway.writeBytes(new byte[] {(byte) 0xC3, 0x28});
        if (v.hasGoawayTimeout()) {
            Wire.writeVarint(goaway, v, 0);
        }
        goaway.setShort(lengthAt, goaway.writerIndex() - lengthAt - 2);
        e = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(goaway, v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
    }

    @ParameterizedTest
    @EnumSource(value = IetfVersion.class, names = {"DRAFT_17"})
    void draft17RejectsTheSevenByteVarintInsideAMessage(IetfVersion v) {
        // MAX_REQUEST_ID does not exist on 17: use SUBSCRIBE with a request id in the 7-byte form.
        ByteBuf msg = hex("03000a" + "fc00000000000001" + "00" + "00");
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(msg, v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void oversizedPropertiesAreRejectedBeforeTheyAreAwaited(IetfVersion v) throws Exception {
        SubgroupHeader h = SubgroupHeader.explicit(1, 1, 1, 1, true);
        ByteBuf wire = Unpooled.buffer();
        h.encode(wire, v);
        Wire.writeVarint(wire, v, 0); // object id delta
        Wire.writeVarint(wire, v, IetfLimits.MAX_PROPERTIES + 1); // properties length, no bytes follow
        try (SubgroupStreamDecoder dec = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, v, 1000)) {
            dec.feed(wire);
            dec.readHeader();
            ProtocolException e = assertThrows(ProtocolException.class, dec::readObject);
            assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
        }
    }

    @ParameterizedTest
    @EnumSource(value = IetfVersion.class, names = {"DRAFT_17", "DRAFT_18", "DRAFT_19", "DRAFT_20"})
    void unknownTypedParameterIsPROTOCOL_VIOLATION(IetfVersion v) {
        Subscribe s = new Subscribe(1, TrackNamespace.of("a"), Octets.utf8("t"), Parameters.EMPTY);
        ByteBuf out = Unpooled.buffer();
        ControlCodec.write(out, s, v);
        // Replace the empty parameter list (last byte 0x00) by one parameter of unknown type 0x3b.
        out.writerIndex(out.writerIndex() - 1);
        out.writeBytes(new byte[] {1, 0x3b, 0});
        out.setShort(v.varint().size(Subscribe.TYPE), out.readableBytes() - v.varint().size(Subscribe.TYPE) - 2);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(out, v, 0xFFFF));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
    }

    @ParameterizedTest
    @EnumSource(value = IetfVersion.class, names = {"DRAFT_14", "DRAFT_15", "DRAFT_16"})
    void duplicateKeyValuePairIsKEY_VALUE_FORMATTING_ERROR(IetfVersion v) {
        Parameters twice = new Parameters(java.util.List.of(new Parameter.Int(2, 1), new Parameter.Int(2, 1)));
        ByteBuf out = Unpooled.buffer();
        if (v.hasDeltaParameters()) {
            // Delta coding writes the repeat as a zero delta.
            twice = new Parameters(java.util.List.of(new Parameter.Int(2, 1), new Parameter.Int(2, 5)));
        }
        ControlCodec.write(out, new PublishNamespace(1, TrackNamespace.of("a"), twice), v);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlCodec.tryRead(out, v, 0xFFFF));
        assertEquals(IetfErrorCode.KEY_VALUE_FORMATTING_ERROR.code(), e.code());
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void everyControlMessageOfTheDraftRoundTrips(IetfVersion v) throws Exception {
        TrackNamespace ns = TrackNamespace.of("moq-test", "interop");
        Octets name = Octets.utf8("test-track");
        Parameters auth = Parameters.of(new Parameter.Raw(MessageParameter.AUTHORIZATION_TOKEN, Octets.utf8("tok")));
        // Draft 14 carries these two inline in FETCH; later drafts as parameters.
        Parameters fetchParams = Parameters.of(new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 128),
                new Parameter.Int(MessageParameter.GROUP_ORDER, 0));
        java.util.List<IetfMessage> all = new java.util.ArrayList<>(java.util.List.of(
                new Goaway("moqt://x/y"),
                new PublishNamespace(2, ns, auth),
                new Fetch(4, Fetch.ABSOLUTE_JOINING, null, null, null, null, 2, v.hasFetchRangeParameters() ? 0 : 3,
                        fetchParams, 0),
                new FetchOk(v.hasRequestIdInResponses() ? 4 : 0, true, new Location(9, 7),
                        Parameters.of(new Parameter.Int(MessageParameter.GROUP_ORDER, 1)), Octets.EMPTY),
                new PublishDone(v.hasRequestIdInResponses() ? 2 : 0, PublishDoneCode.TRACK_ENDED.code(v), 5, "bye"),
                new Publish(6, ns, name, 77, Parameters.of(new Parameter.At(MessageParameter.LARGEST_OBJECT, new Location(300, 4)),
                        new Parameter.Int(MessageParameter.FORWARD, 1), new Parameter.Int(MessageParameter.GROUP_ORDER, 1)),
                        v.hasTrackProperties() ? Octets.hex("2202") : Octets.EMPTY)));
        if (!v.hasFetchRangeParameters()) {
            all.add(Fetch.standalone(8, ns, name, new Location(1, 0), new Location(3, 9), fetchParams));
        }
        if (v.hasDoneMessages()) {
            all.add(new Unsubscribe(3));
            all.add(new FetchCancel(4));
            all.add(v.hasPublishNamespaceDoneByNamespace() ? new PublishNamespaceDone(0, ns) : new PublishNamespaceDone(2, TrackNamespace.EMPTY));
        }
        if (v.hasNamespaceMessages()) {
            all.add(new Namespace(TrackNamespace.of("room")));
            all.add(new NamespaceDone(TrackNamespace.of("room")));
        }
        if (v.hasSubscribeTracks()) {
            all.add(new SubscribeTracks(10, ns, Parameters.EMPTY));
        }
        if (v.hasRequestStreams()) {
            all.add(new PublishBlocked(TrackNamespace.of("room"), name));
        }
        if (v.hasPublishOk()) {
            all.add(new PublishOk(v.hasRequestIdInResponses() ? 6 : 0, v.hasInlineSubscriptionFields()
                    ? new Parameters(java.util.List.of(new Parameter.Int(MessageParameter.FORWARD, 1),
                            new Parameter.Int(MessageParameter.SUBSCRIBER_PRIORITY, 9),
                            new Parameter.Filter(MessageParameter.LOCATION_FILTER, SubscriptionFilter.NEXT_GROUP_START),
                            new Parameter.Int(MessageParameter.GROUP_ORDER, 1)))
                    : Parameters.EMPTY));
        }
        all.add(new SubscribeNamespace(12, ns, v.hasSubscribeOptions() ? SubscribeNamespace.BOTH : 0, Parameters.EMPTY));
        all.add(new RequestError(v == IetfVersion.DRAFT_14 ? RequestKind.FETCH : RequestKind.ANY,
                v.hasRequestIdInResponses() ? 4 : 0, RequestErrorCode.DOES_NOT_EXIST.code(v), 0, "no", null));
        if (v.hasRedirect()) {
            all.add(new RequestError(RequestKind.ANY, 0, RequestErrorCode.REDIRECT.code(v), 10, "elsewhere",
                    new Redirect("moqt://other", ns, name)));
        }
        if (v.hasUnifiedResponses() && v.draft() >= 18) {
            all.add(new RequestOk(RequestKind.ANY, 0, Parameters.of(new Parameter.At(MessageParameter.LARGEST_OBJECT,
                    new Location(300, 2))), Octets.hex("2202")));
        }
        if (v.hasPublishStateNotify()) {
            all.add(new PublishStateNotify(Parameters.of(new Parameter.At(MessageParameter.LARGEST_OBJECT, new Location(7, 1)),
                    new Parameter.Int(MessageParameter.FORWARD, 0),
                    new Parameter.Filter(MessageParameter.LOCATION_FILTER,
                            SubscriptionFilter.absoluteObjectRange(new Location(5, 1), new Location(9, 3))))));
            all.add(new Subscribe(3, ns, name, Parameters.of(new Parameter.Filter(MessageParameter.LOCATION_FILTER,
                    SubscriptionFilter.NONE), new Parameter.Raw(MessageParameter.FILL_PARAMETERS, Octets.hex("00")), new Parameter.Int(MessageParameter.INCLUDE_PROPERTIES, 0))));
        }
        if (v.hasSubscribeTracks()) {
            all.add(new RequestUpdate(5, 0, Parameters.of(new Parameter.Prefix(MessageParameter.TRACK_NAMESPACE_PREFIX,
                    TrackNamespace.of("a", "b")))));
        }
        for (IetfMessage m : all) {
            ByteBuf out = Unpooled.buffer();
            ControlCodec.write(out, m, v);
            IetfMessage back = ControlCodec.tryRead(out, v, 0xFFFF);
            assertEquals(m, back, v + " " + m.getClass().getSimpleName());
        }
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void subgroupStreamYieldsObjectsAsSlicesAcrossChunks(IetfVersion v) throws Exception {
        boolean props = true;
        SubgroupHeader h = new SubgroupHeader(2, 7, SubgroupHeader.MODE_FIRST_OBJECT, 0,
                v.hasDefaultPriority() ? -1 : 5, props, true, v.hasFirstObjectBit());
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(v, h);
        ByteBuf wire = Unpooled.buffer();
        enc.writeHeader(wire);
        byte[] ext = HexFormat.of().parseHex("04a1");
        enc.writeObjectHeader(wire, 3, Unpooled.wrappedBuffer(ext), 5, 0);
        wire.writeBytes("hello".getBytes(StandardCharsets.UTF_8));
        enc.writeObjectHeader(wire, 200, null, 0, ObjectStatus.END_OF_GROUP);
        try (SubgroupStreamDecoder dec = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, v, 1 << 20)) {
            // Feed one byte at a time: nothing is consumed until a whole object is here.
            int n = 0;
            IetfObject first = null;
            IetfObject second = null;
            while (wire.isReadable()) {
                dec.feed(wire.readRetainedSlice(1));
                if (dec.readHeader() == null) {
                    continue;
                }
                IetfObject o = dec.readObject();
                if (o != null) {
                    if (n++ == 0) {
                        first = o;
                    } else {
                        second = o;
                    }
                }
            }
            dec.finish();
            assertEquals(h, dec.readHeader());
            assertEquals(3, first.objectId());
            assertEquals(3, first.subgroupId());
            assertEquals("hello", first.payload().toString(StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(ext), io.netty.buffer.ByteBufUtil.hexDump(first.properties()));
            assertEquals(200, second.objectId());
            assertEquals(ObjectStatus.END_OF_GROUP, second.status());
            assertEquals(0, second.payload().readableBytes());
            first.release();
            second.release();
        }
        wire.release();
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void oversizedObjectAndTruncatedStreamAreRejected(IetfVersion v) throws Exception {
        SubgroupHeader h = SubgroupHeader.explicit(1, 1, 1, 1, false);
        ByteBuf wire = Unpooled.buffer();
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(v, h);
        enc.writeHeader(wire);
        enc.writeObjectHeader(wire, 0, null, 5000, 0);
        try (SubgroupStreamDecoder dec = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, v, 1000)) {
            dec.feed(wire);
            dec.readHeader();
            ProtocolException e = assertThrows(ProtocolException.class, dec::readObject);
            assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
        }
        try (SubgroupStreamDecoder dec = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, v, 1000)) {
            dec.feed(Unpooled.wrappedBuffer(new byte[] {0x3f}));
            ProtocolException e = assertThrows(ProtocolException.class, dec::readHeader);
            assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
        }
        try (SubgroupStreamDecoder dec = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, v, 1000)) {
            dec.feed(Unpooled.wrappedBuffer(new byte[] {0x14, 1}));
            assertNull(dec.readHeader());
            assertThrows(ProtocolException.class, dec::finish);
        }
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void fetchStreamRoundTrips(IetfVersion v) throws Exception {
        boolean descending = true;
        FetchStreamEncoder enc = new FetchStreamEncoder(v, descending);
        ByteBuf wire = Unpooled.buffer();
        enc.writeHeader(wire, 9);
        long[][] objects = {{10, 0, 0}, {10, 0, 1}, {10, 2, 5}, {8, 0, 0}};
        for (long[] o : objects) {
            enc.writeObjectHeader(wire, o[0], o[1], o[2], 7, null, 1, 0);
            wire.writeByte('x');
        }
        try (FetchStreamDecoder dec = new FetchStreamDecoder(ByteBufAllocator.DEFAULT, v, 1000, descending)) {
            dec.feed(wire);
            assertEquals(new FetchHeader(9), dec.readHeader());
            for (long[] o : objects) {
                IetfObject got = assertInstanceOf(IetfObject.class, dec.readEntry());
                assertEquals(new Location(o[0], o[2]), got.location(), v.toString());
                assertEquals(o[1], got.subgroupId());
                assertEquals(7, got.publisherPriority());
                got.release();
            }
            assertNull(dec.readEntry());
            dec.finish();
        }
    }

    @ParameterizedTest
    @EnumSource(value = IetfVersion.class, names = {"DRAFT_16", "DRAFT_17", "DRAFT_18", "DRAFT_19", "DRAFT_20"})
    void fetchEndOfRangeRoundTripsAndAPriorReferenceWithoutPriorIsRejected(IetfVersion v) throws Exception {
        FetchStreamEncoder enc = new FetchStreamEncoder(v, false);
        ByteBuf wire = Unpooled.buffer();
        enc.writeHeader(wire, 1);
        enc.writeEndOfRange(wire, EndOfRange.NON_EXISTENT, new Location(2, 5));
        enc.writeObjectHeader(wire, 3, 1, 0, 9, Unpooled.wrappedBuffer(new byte[] {4, 2}), 0, 0);
        enc.writeEndOfRange(wire, EndOfRange.UNKNOWN, new Location(6, 1));
        try (FetchStreamDecoder dec = new FetchStreamDecoder(ByteBufAllocator.DEFAULT, v, 100, false)) {
            dec.feed(wire);
            dec.readHeader();
            assertEquals(new EndOfRange(EndOfRange.NON_EXISTENT, new Location(2, 5)), dec.readEntry());
            IetfObject o = assertInstanceOf(IetfObject.class, dec.readEntry());
            assertEquals(new Location(3, 0), o.location());
            assertEquals(1, o.subgroupId());
            assertEquals("0402", io.netty.buffer.ByteBufUtil.hexDump(o.properties()));
            o.release();
            assertEquals(new EndOfRange(EndOfRange.UNKNOWN, new Location(6, 1)), dec.readEntry());
            dec.finish();
        }
        // Flags 0x0C: group and object present, but priority "same as the prior object" with none before.
        ByteBuf bad = Unpooled.buffer();
        new FetchHeader(1).encode(bad, v);
        bad.writeBytes(new byte[] {0x0C, 1, 0, 0});
        try (FetchStreamDecoder dec = new FetchStreamDecoder(ByteBufAllocator.DEFAULT, v, 100, false)) {
            dec.feed(bad);
            dec.readHeader();
            ProtocolException e = assertThrows(ProtocolException.class, dec::readEntry);
            assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
        }
    }

    @ParameterizedTest
    @EnumSource(IetfVersion.class)
    void datagramsRoundTripAndBadTypesAreRejected(IetfVersion v) throws Exception {
        ObjectDatagram d = new ObjectDatagram(3, 4, 5, 9, true, Unpooled.wrappedBuffer(new byte[] {4, 1}),
                ObjectStatus.NORMAL, Unpooled.wrappedBuffer("abc".getBytes(StandardCharsets.UTF_8)));
        ByteBuf out = Unpooled.buffer();
        d.encode(out, v);
        ObjectDatagram back = ObjectDatagram.decode(out, v);
        assertEquals(5, back.objectId());
        assertEquals(9, back.publisherPriority());
        assertTrue(back.endOfGroup());
        assertEquals("abc", back.payload().toString(StandardCharsets.UTF_8));
        back.release();
        out.release();
        ObjectDatagram status = new ObjectDatagram(3, 4, 6, 1, false, null, ObjectStatus.END_OF_TRACK, null);
        ByteBuf s = Unpooled.buffer();
        status.encode(s, v);
        assertEquals(status, ObjectDatagram.decode(s, v));
        ProtocolException e = assertThrows(ProtocolException.class, () -> ObjectDatagram.decode(hex("22010203"), v));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
    }
}
