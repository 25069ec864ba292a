package dev.jmoq.transport.websocket;

import dev.jmoq.transport.webtransport.H3FuzzSeeds;
import dev.jmoq.wire.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the seed corpus of {@link QmuxFuzzTest} (and, through {@link H3FuzzSeeds}, of the HTTP/3 targets):
 * every frame we send in every framing, our transport parameters, and short client conversations. Run from
 * the module directory after a test build (docs/fuzzing.md).
 */
public final class TransportFuzzSeeds {
    private TransportFuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of("src/test/resources/dev/jmoq/transport/websocket/QmuxFuzzTestInputs");
        ByteBufAllocator a = ByteBufAllocator.DEFAULT;
        for (WireVersion w : WireVersion.values()) {
            List<ByteBuf> frames = new ArrayList<>();
            ByteBuf stream = FrameCodec.streamHeader(a, w, 4, 0, 5, true);
            stream.writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
            frames.add(stream);
            frames.add(FrameCodec.encode(a, new Frame.ResetStream(4, 26, 5), w, false));
            frames.add(FrameCodec.encode(a, new Frame.StopSending(4, 0), w, false));
            frames.add(FrameCodec.encode(a, new Frame.ConnectionClose(true, 0, "bye"), w, false));
            if (w.isQmux()) {
                frames.add(FrameCodec.encode(a, new Frame.ConnectionClose(false, 7, "bad"), w, false));
                frames.add(FrameCodec.encode(a, new Frame.ConnectionClose(true, 1, "legacy"), w, true));
                frames.add(FrameCodec.encode(a, new Frame.MaxData(1 << 20), w, false));
                frames.add(FrameCodec.encode(a, new Frame.MaxStreamData(4, 65536), w, false));
                frames.add(FrameCodec.encode(a, new Frame.MaxStreams(true, 100), w, false));
                frames.add(FrameCodec.encode(a, new Frame.MaxStreams(false, 100), w, false));
                frames.add(FrameCodec.encode(a, new Frame.Parameters(QmuxSettings.defaults().toParameters()), w, false));
                ByteBuf blocked = Unpooled.buffer();
                VarInt.write(blocked, 0x15);
                VarInt.write(blocked, 4);
                VarInt.write(blocked, 100);
                frames.add(blocked);
            }
            if (w.usesRecords()) {
                frames.add(FrameCodec.encode(a, new Frame.Ping(true, 7), w, false));
                frames.add(FrameCodec.encode(a, new Frame.Padding(), w, false));
                ByteBuf datagram = FrameCodec.datagramHeader(a, 3); // DATAGRAM 0x31 and 0x30
                datagram.writeBytes(new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc});
                frames.add(datagram);
                frames.add(a.buffer().writeBytes(new byte[] {0x30, (byte) 0xdd, (byte) 0xee}));
            }
            int i = 0;
            for (ByteBuf f : frames) {
                write(root.resolve("frames"), "seed-" + w.token() + "-" + (i++), w.ordinal(), ByteBufUtil.getBytes(f));
                f.release();
            }
            // A conversation: parameters (qmux), a bidi stream with data and FIN, a uni stream, a reset, a close.
            ByteBuf talk = Unpooled.buffer();
            if (w.isQmux()) {
                ws(talk, FrameCodec.encode(a, new Frame.Parameters(QmuxSettings.defaults().toParameters()), w, false));
            }
            ByteBuf open = FrameCodec.streamHeader(a, w, 0, 0, 3, false);
            open.writeBytes(new byte[] {0x01, 0x02, 0x03});
            ws(talk, open);
            ByteBuf more = FrameCodec.streamHeader(a, w, 0, 3, 2, true);
            more.writeBytes(new byte[] {0x04, 0x05});
            ws(talk, more);
            ByteBuf uni = FrameCodec.streamHeader(a, w, 2, 0, 1, true);
            uni.writeByte(0x00);
            ws(talk, uni);
            ws(talk, FrameCodec.encode(a, new Frame.ResetStream(4, 3, 0), w, false));
            ws(talk, FrameCodec.encode(a, new Frame.ConnectionClose(true, 0, "done"), w, false));
            write(root.resolve("connection"), "seed-" + w.token(), QmuxFuzzTest.OFFERS.indexOf(
                    QmuxFuzzTest.OFFERS.stream().filter(o -> o.startsWith(w.token())).findFirst().orElseThrow()),
                    ByteBufUtil.getBytes(talk));
        }
        ByteBuf params = Unpooled.buffer();
        QmuxSettings.defaults().toParameters().encode(params, WireVersion.QMUX_02);
        write(root.resolve("transportParameters"), "seed-defaults", -1, ByteBufUtil.getBytes(params));
        H3FuzzSeeds.write(Path.of("src/test/resources/dev/jmoq/transport/webtransport/H3FuzzTestInputs"));
    }

    /** Appends one client WebSocket message (binary, final, masked with a zero key) holding {@code payload}. */
    private static void ws(ByteBuf out, ByteBuf payload) {
        int n = payload.readableBytes();
        out.writeByte(0x82);
        if (n < 126) {
            out.writeByte(0x80 | n);
        } else {
            out.writeByte(0x80 | 126);
            out.writeShort(n);
        }
        out.writeInt(0);
        out.writeBytes(payload);
        payload.release();
    }

    /** Writes one seed: a selector byte (none when negative), then the body. */
    public static void write(Path dir, String name, int selector, byte[] body) throws IOException {
        Files.createDirectories(dir);
        byte[] out = body;
        if (selector >= 0) {
            out = new byte[body.length + 1];
            out[0] = (byte) selector;
            System.arraycopy(body, 0, out, 1, body.length);
        }
        Files.write(dir.resolve(name), out);
    }
}
