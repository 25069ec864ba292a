package dev.jmoq.wire.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes the seed corpus of {@link LiteDecoderFuzzTest}: every sample message of every draft (the values
 * the JS clients encode), the byte vectors captured from {@code @moq/lite} and {@code @moq/net}, and a
 * few group streams. Run from the module directory after a test build when the codec gains a message:
 * {@code java -cp target/test-classes:target/classes:<deps> dev.jmoq.wire.lite.LiteFuzzSeeds} (docs/fuzzing.md).
 */
final class LiteFuzzSeeds {
    private static final java.util.Set<String> WRITTEN = new java.util.HashSet<>();

    private LiteFuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/dev/jmoq/wire/lite/LiteDecoderFuzzTestInputs");
        for (LiteVersion v : LiteVersion.values()) {
            int i = 0;
            for (LiteMessage m : Samples.all(v)) {
                if (!m.existsIn(v)) {
                    continue;
                }
                int decoder = LiteDecoderFuzzTest.DECODERS.indexOf(Samples.decoderFor(m));
                ByteBuf out = Unpooled.buffer();
                m.encode(out, v);
                write(root.resolve("controlMessage"), "seed-" + v.name().toLowerCase() + "-" + (i++) + "-"
                        + m.getClass().getSimpleName(), LiteDecoderFuzzTest.selector(v, decoder), ByteBufUtil.getBytes(out));
            }
            write(root.resolve("streamTypes"), "seed-control-" + v.ordinal(), 0x80 | v.ordinal(), new byte[] {1});
            write(root.resolve("streamTypes"), "seed-data-" + v.ordinal(), v.ordinal(), new byte[] {0});
            ByteBuf dg = Unpooled.buffer();
            if (v.hasDatagrams()) {
                Datagram.writeHeader(dg, v, 7, 12, 123456);
                dg.writeBytes(new byte[] {1, 2, 3});
                write(root.resolve("datagram"), "seed-" + v.ordinal(), v.ordinal(), ByteBufUtil.getBytes(dg));
            }
            ByteBuf group = Unpooled.buffer();
            new GroupHeader(7, 3).encode(group, v);
            GroupStreamEncoder enc = new GroupStreamEncoder(v);
            for (int f = 0; f < 3; f++) {
                enc.writeFrameHeader(group, 1000L * f, f);
                group.writeBytes(new byte[f]);
            }
            write(root.resolve("groupStream"), "seed-group-" + v.ordinal(), v.ordinal(), prepend(5, ByteBufUtil.getBytes(group)));
            ByteBuf fetch = Unpooled.buffer();
            GroupStreamEncoder fenc = new GroupStreamEncoder(v);
            fenc.writeFrameHeader(fetch, 90000, 2);
            fetch.writeBytes(new byte[] {9, 9});
            write(root.resolve("groupStream"), "seed-fetch-" + v.ordinal(), 0x80 | v.ordinal(), prepend(1, ByteBufUtil.getBytes(fetch)));
        }
        for (String resource : new String[] {Vectors.MOQ_LITE, Vectors.MOQ_NET}) {
            for (Map.Entry<String, byte[]> e : Vectors.load(resource).entrySet()) {
                String name = e.getKey().replace('/', '-');
                LiteVersion v = Vectors.version(e.getKey().substring(0, 2));
                for (int d = 0; d < LiteDecoderFuzzTest.DECODERS.size(); d++) {
                    // The captured name does not say which decoder reads it: seed the one that accepts it.
                    ByteBuf in = Unpooled.wrappedBuffer(e.getValue());
                    try {
                        if (LiteDecoderFuzzTest.DECODERS.get(d).tryDecode(in, v, 1 << 16) != null) {
                            write(root.resolve("controlMessage"), "vector-" + resource.replaceAll(".*/lite-|\\.json", "")
                                    + "-" + name, LiteDecoderFuzzTest.selector(v, d), e.getValue());
                            break;
                        }
                    } catch (Exception ignored) {
                        // Not this decoder's message.
                    }
                }
            }
        }
    }

    private static byte[] prepend(int b, byte[] rest) {
        byte[] out = new byte[rest.length + 1];
        out[0] = (byte) b;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static void write(Path dir, String name, int selector, byte[] body) throws IOException {
        if (!WRITTEN.add(dir.getFileName() + HexFormat.of().formatHex(prepend(selector, body)))) {
            return; // the same bytes under another name: each seed costs a test run in every build
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), prepend(selector, body));
        System.out.println(dir.resolve(name) + " " + HexFormat.of().formatHex(body));
    }
}
