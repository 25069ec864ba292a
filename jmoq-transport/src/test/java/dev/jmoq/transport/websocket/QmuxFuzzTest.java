package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jmoq.transport.ServerOptions;
import dev.jmoq.transport.tls.ServerCertificate;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzz targets for the WebSocket transport: qmux / webtransport frames, qmux transport
 * parameters, and a whole server connection (HTTP upgrade, WebSocket frames, qmux, streams echoed by a test
 * acceptor) on an embedded channel.
 *
 * <p>Invariants: decoders raise only {@link ProtocolException} with a QUIC transport error code; a decoded
 * frame or parameter set re-encodes to one that decodes equal; every STREAM and DATAGRAM payload is a slice the caller
 * releases, and nothing else keeps the input (reference count checked; Netty's leak detector at PARANOID);
 * a connection fed anything raises nothing out of its pipeline and leaks nothing. Seeds and saved findings:
 * {@code QmuxFuzzTestInputs/<method>/}; docs/fuzzing.md.
 */
class QmuxFuzzTest {
    private static final WireVersion[] WIRES = WireVersion.values();
    private static final Set<Long> CODES = Set.of(TransportError.FRAME_ENCODING_ERROR, TransportError.PROTOCOL_VIOLATION,
            TransportError.TRANSPORT_PARAMETER_ERROR);
    /** Offers the connection target picks from with its first byte (one per framing). */
    static final List<String> OFFERS = List.of("webtransport", "qmux-00.moq-lite-04", "qmux-01.moq-lite-04",
            "qmux-02.moq-lite-04");
    private static final ServerCertificate CERT = ServerCertificate.selfSigned(List.of("localhost"));

    /** One WebSocket message of frames; the first byte picks the framing (and the legacy close layout). */
    @FuzzTest
    void frames(byte[] data) {
        if (data.length < 2) { // the connection refuses an empty message before decoding
            return;
        }
        WireVersion wire = WIRES[(data[0] & 0x7f) % WIRES.length];
        boolean legacyClose = (data[0] & 0x80) != 0;
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(data.length);
        in.writeBytes(data, 1, data.length - 1);
        try {
            do {
                Frame f = FrameCodec.decode(in, wire, legacyClose);
                try {
                    roundTrip(f, wire, legacyClose);
                } finally {
                    if (f instanceof Frame.Stream s) {
                        s.data().release();
                    } else if (f instanceof Frame.Datagram d) {
                        d.data().release();
                    }
                }
            } while (wire.isQmux() && in.isReadable());
        } catch (ProtocolException e) {
            assertTrue(CODES.contains(e.code()), "unexpected code " + e.code() + ": " + e.getMessage());
        } finally {
            assertEquals(1, in.refCnt(), "a STREAM payload was not released or the input was kept");
            in.release();
        }
    }

    /** A QX_TRANSPORT_PARAMETERS payload. */
    @FuzzTest
    void transportParameters(byte[] data) throws ProtocolException {
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(Math.max(1, data.length));
        in.writeBytes(data);
        try {
            TransportParameters p;
            try {
                p = TransportParameters.decode(in);
            } catch (ProtocolException e) {
                assertTrue(CODES.contains(e.code()), "unexpected code " + e.code() + ": " + e.getMessage());
                return;
            }
            assertEquals(0, in.readableBytes());
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                p.encode(out, WireVersion.QMUX_02);
                assertEquals(p, TransportParameters.decode(out), "decode(encode(p)) differs");
            } finally {
                out.release();
            }
        } finally {
            assertEquals(1, in.refCnt());
            in.release();
        }
    }

    /**
     * A server connection: the first byte picks the offered subprotocol, the rest is what the client sends after
     * its upgrade request (WebSocket frames, which a client masks; a zero mask key keeps the payload readable to
     * the fuzzer). Whatever arrives, nothing escapes the pipeline and every buffer is released once the
     * connection is closed.
     */
    @FuzzTest
    void connection(byte[] data) {
        if (data.length == 0) {
            return;
        }
        String offer = OFFERS.get((data[0] & 0xff) % OFFERS.size());
        EchoAcceptor echo = new EchoAcceptor();
        ServerOptions options = new ServerOptions(new InetSocketAddress("127.0.0.1", 0), CERT,
                List.of("moq-lite-04", "moq-lite-03", "moql"), echo, 1, 30_000);
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024),
                new HttpEntryHandler(options, QmuxSettings.defaults()));
        try {
            ch.writeInbound(ch.alloc().buffer().writeBytes(upgrade(offer).getBytes(StandardCharsets.US_ASCII)));
            ch.runPendingTasks();
            // The upgrade is fixed and valid: the fuzzed bytes always reach a qmux connection.
            assertEquals(1, echo.connections.size(), "the upgrade was not accepted");
            int half = 1 + (data.length - 1) / 2;
            ch.writeInbound(ch.alloc().buffer().writeBytes(data, 1, half - 1));
            ch.runPendingTasks();
            if (ch.isOpen()) {
                ch.writeInbound(ch.alloc().buffer().writeBytes(data, half, data.length - half));
            }
            ch.runPendingTasks();
            ch.checkException();
        } finally {
            ch.finishAndReleaseAll();
            ch.runPendingTasks();
            ch.releaseOutbound();
            ch.releaseInbound();
        }
    }

    /** The upgrade request the connection target sends first. */
    static String upgrade(String offer) {
        return "GET /room HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + offer + "\r\n\r\n";
    }

    private static void roundTrip(Frame f, WireVersion wire, boolean legacyClose) throws ProtocolException {
        ByteBuf out;
        switch (f) {
            case Frame.Stream s -> {
                if (s.offset() < 0 && wire.isQmux()) {
                    return; // we always write the offset; a frame without one re-encodes differently
                }
                out = FrameCodec.streamHeader(ByteBufAllocator.DEFAULT, wire, s.id(), Math.max(0, s.offset()),
                        s.data().readableBytes(), s.fin());
                out.writeBytes(s.data(), s.data().readerIndex(), s.data().readableBytes());
            }
            case Frame.Blocked b -> {
                return; // never sent
            }
            case Frame.Datagram d -> {
                // We always send 0x31 (with a Length): the payload comes back whatever the peer's form.
                out = FrameCodec.datagramHeader(ByteBufAllocator.DEFAULT, d.data().readableBytes());
                out.writeBytes(d.data(), d.data().readerIndex(), d.data().readableBytes());
            }
            case Frame.ConnectionClose c when c.reason().getBytes(StandardCharsets.UTF_8).length > FrameCodec.MAX_REASON_BYTES
                    || c.reason().contains("\uFFFD") -> {
                return; // cut or replaced on the way out, by design
            }
            case Frame.Padding p when true -> {
                return; // PADDING runs to the end of the message
            }
            default -> {
                if (!wire.isQmux() && !(f instanceof Frame.ResetStream || f instanceof Frame.StopSending
                        || f instanceof Frame.ConnectionClose)) {
                    return;
                }
                out = FrameCodec.encode(ByteBufAllocator.DEFAULT, f, wire, legacyClose);
            }
        }
        try {
            Frame again = FrameCodec.decode(out, wire, legacyClose);
            try {
                assertEquals(0, out.readableBytes(), "re-encoded " + f + " not consumed exactly: " + ByteBufUtil.hexDump(out));
                if (f instanceof Frame.Stream s && again instanceof Frame.Stream t) {
                    assertEquals(List.of(s.id(), s.fin(), s.data()), List.of(t.id(), t.fin(), t.data()));
                } else if (f instanceof Frame.Datagram d) {
                    assertEquals(d.data(), ((Frame.Datagram) again).data(), "DATAGRAM payload differs");
                } else {
                    // Fields a framing does not carry (a legacy reset's final size, qmux-00's idle timeout) are
                    // dropped on the way out, so compare what goes on the wire: encode(decode(encode(f))) == encode(f).
                    ByteBuf twice = FrameCodec.encode(ByteBufAllocator.DEFAULT, again, wire, legacyClose);
                    ByteBuf once = FrameCodec.encode(ByteBufAllocator.DEFAULT, f, wire, legacyClose);
                    try {
                        assertEquals(ByteBufUtil.hexDump(once), ByteBufUtil.hexDump(twice), "decode(encode(f)) differs: " + f);
                    } finally {
                        twice.release();
                        once.release();
                    }
                }
            } finally {
                ReferenceCountUtil.release(again instanceof Frame.Stream t ? t.data()
                        : again instanceof Frame.Datagram d ? d.data() : null);
            }
        } finally {
            out.release();
        }
    }
}
