package dev.jmoq.wire.ietf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Writes the seed corpus of {@link IetfDecoderFuzzTest}: every byte vector captured from {@code @moq/net}
 * 0.3.4 (control messages, subgroup and fetch streams, per draft; the first bytes of each stream seed the
 * stream types), plus what the vectors lack: a fetch stream with End of Range markers and changing
 * subgroups, object and status datagrams of each draft, and integers of each length. Run from the module
 * directory after a test build: {@code java -cp target/test-classes:target/classes:<deps>
 * dev.jmoq.wire.ietf.IetfFuzzSeeds} (docs/fuzzing.md).
 */
final class IetfFuzzSeeds {
    private static final Set<String> WRITTEN = new HashSet<>();

    private IetfFuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/dev/jmoq/wire/ietf/IetfDecoderFuzzTestInputs");
        for (Map.Entry<String, byte[]> e : IetfVectorsTest.load().entrySet()) {
            String[] key = e.getKey().split("/");
            IetfVersion v = IetfVersion.valueOf("DRAFT_" + key[0]);
            String name = "vector-" + key[0] + "-" + key[1];
            byte[] b = e.getValue();
            if (key[1].startsWith("subgroup_stream")) {
                write(root.resolve("subgroupStream"), name, prepend(v.ordinal(), 6, b));
                write(root.resolve("streamTypes"), name, prepend(v.ordinal(), b));
            } else if (key[1].equals("fetch_stream")) {
                write(root.resolve("fetchStream"), name, prepend(v.ordinal(), 4, b));
                write(root.resolve("fetchStream"), name + "-descending", prepend(0x80 | v.ordinal(), 4, b));
                write(root.resolve("streamTypes"), name, prepend(v.ordinal(), b));
            } else {
                write(root.resolve("controlMessage"), name, prepend(v.ordinal(), b));
                if (key[1].equals("setup")) {
                    write(root.resolve("streamTypes"), name, prepend(v.ordinal(), b));
                }
            }
        }
        for (IetfVersion v : IetfVersion.values()) {
            String d = Integer.toString(v.draft());
            write(root.resolve("fetchStream"), "seed-" + d + "-mixed", prepend(v.ordinal(), 2, fetchStream(v)));
            write(root.resolve("datagram"), "seed-" + d + "-object",
                    datagram(v, new ObjectDatagram(7, 12, 3, 128, true, Unpooled.wrappedBuffer(new byte[] {2, 5}),
                            ObjectStatus.NORMAL, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}))));
            write(root.resolve("datagram"), "seed-" + d + "-object-zero-id",
                    datagram(v, new ObjectDatagram(7, 12, 0, v.hasDatagramDefaultPriority() ? -1 : 5, false, null,
                            ObjectStatus.NORMAL, Unpooled.wrappedBuffer(new byte[] {9}))));
            write(root.resolve("datagram"), "seed-" + d + "-status",
                    datagram(v, new ObjectDatagram(7, 13, 0, 64, false, null, ObjectStatus.END_OF_GROUP, null)));
            if (v.hasPadding()) {
                ByteBuf pad = Unpooled.buffer();
                v.varint().write(pad, DataStreamType.PADDING_STREAM);
                pad.writeZero(4);
                write(root.resolve("streamTypes"), "seed-" + d + "-padding", prepend(v.ordinal(), ByteBufUtil.getBytes(pad)));
            }
        }
        long[] values = {0, 37, 15293, 494878333, 151288809941952652L, 1L << 49, -1L};
        for (IetfVarInt enc : IetfVarInt.values()) {
            ByteBuf out = Unpooled.buffer();
            for (long x : values) {
                if (enc != IetfVarInt.QUIC || (x >= 0 && x < 1L << 62)) {
                    enc.write(out, x);
                }
            }
            write(root.resolve("varint"), "seed-" + enc.name().toLowerCase(), prepend(enc.ordinal(), ByteBufUtil.getBytes(out)));
        }
    }

    /** A fetch stream of objects in two subgroups of two groups, with End of Range markers where the draft has them. */
    private static byte[] fetchStream(IetfVersion v) {
        FetchStreamEncoder enc = new FetchStreamEncoder(v, false);
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out, 4);
        if (v.hasEndOfRange()) {
            enc.writeEndOfRange(out, EndOfRange.NON_EXISTENT, new Location(1, 3));
        }
        long[][] objects = {{2, 0, 0, 1}, {2, 0, 1, 1}, {2, 1, 2, 0}, {2, 2, 3, 2}, {2, 7, 5, 0}, {4, 0, 0, 1}};
        for (long[] o : objects) {
            enc.writeObjectHeader(out, o[0], o[1], o[2], (int) o[1] * 10, o[2] == 2 ? Unpooled.wrappedBuffer(new byte[] {6}) : null,
                    (int) o[3], ObjectStatus.END_OF_GROUP);
            out.writeZero((int) o[3]);
        }
        if (v.hasEndOfRange()) {
            enc.writeEndOfRange(out, v.hasTimedOutRange() ? EndOfRange.TIMED_OUT : EndOfRange.UNKNOWN, new Location(6, 0));
        }
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] datagram(IetfVersion v, ObjectDatagram d) {
        ByteBuf out = Unpooled.buffer();
        d.encode(out, v);
        return prepend(v.ordinal(), ByteBufUtil.getBytes(out));
    }

    private static byte[] prepend(int selector, byte[] rest) {
        byte[] out = new byte[rest.length + 1];
        out[0] = (byte) selector;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static byte[] prepend(int selector, int chunk, byte[] rest) {
        return prepend(selector, prepend(chunk, rest));
    }

    private static void write(Path dir, String name, byte[] input) throws IOException {
        if (!WRITTEN.add(dir.getFileName() + HexFormat.of().formatHex(input))) {
            return; // the same bytes under another name: each seed costs a test run in every build
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), input);
        System.out.println(dir.resolve(name) + " " + HexFormat.of().formatHex(input));
    }
}
