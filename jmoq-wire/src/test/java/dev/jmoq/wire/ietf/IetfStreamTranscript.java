package dev.jmoq.wire.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What a subgroup or fetch stream decoder made of a stream fed in chunks, for {@link IetfDecoderFuzzTest}:
 * a text transcript (header, each object or End of Range with its fields and bytes, the verdict at FIN),
 * and the decoded values as copies, so the stream can be re-encoded. Checks that once the decoder is closed
 * and each object released, every chunk it was fed is back at the count it had before.
 *
 * @param text the transcript, equal for equal decodings
 * @param complete the stream decoded to FIN without error
 */
record IetfStreamTranscript(String text, boolean complete, Object header, List<Object> entries) {
    /** An object's fields with its properties (null when absent) and payload copied out. */
    record Obj(long group, long subgroup, long object, int priority, long status, byte[] properties, byte[] payload) {
    }

    static IetfStreamTranscript subgroup(IetfVersion v, byte[] bytes, int chunk, int maxObject) {
        StringBuilder out = new StringBuilder();
        List<ByteBuf> chunks = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        SubgroupHeader header = null;
        boolean complete = false;
        SubgroupStreamDecoder d = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, v, maxObject);
        try {
            for (int at = 0; at < bytes.length; at += chunk) {
                feed(bytes, at, chunk, chunks, d::feed);
                if (header == null) {
                    header = d.readHeader();
                    if (header == null) {
                        continue;
                    }
                    out.append(header).append('\n');
                }
                IetfObject o;
                while ((o = d.readObject()) != null) {
                    entries.add(take(o, out));
                }
            }
            d.finish();
            out.append("fin");
            complete = true;
        } catch (ProtocolException e) {
            IetfDecoderFuzzTest.assertKnownCode(e, v);
            out.append("error ").append(e.code());
        } finally {
            d.close();
            checkReleased(chunks);
        }
        return new IetfStreamTranscript(out.toString(), complete, header, entries);
    }

    static IetfStreamTranscript fetch(IetfVersion v, boolean descending, byte[] bytes, int chunk, int maxObject) {
        StringBuilder out = new StringBuilder();
        List<ByteBuf> chunks = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        FetchHeader header = null;
        boolean complete = false;
        FetchStreamDecoder d = new FetchStreamDecoder(ByteBufAllocator.DEFAULT, v, maxObject, descending);
        try {
            for (int at = 0; at < bytes.length; at += chunk) {
                feed(bytes, at, chunk, chunks, d::feed);
                if (header == null) {
                    header = d.readHeader();
                    if (header == null) {
                        continue;
                    }
                    out.append(header).append('\n');
                }
                FetchEntry e;
                while ((e = d.readEntry()) != null) {
                    if (e instanceof IetfObject o) {
                        entries.add(take(o, out));
                    } else {
                        entries.add(e);
                        out.append(e).append('\n');
                    }
                }
            }
            d.finish();
            out.append("fin");
            complete = true;
        } catch (ProtocolException e) {
            IetfDecoderFuzzTest.assertKnownCode(e, v);
            out.append("error ").append(e.code());
        } finally {
            d.close();
            checkReleased(chunks);
        }
        return new IetfStreamTranscript(out.toString(), complete, header, entries);
    }

    /** The decoded subgroup stream written again with {@link SubgroupStreamEncoder}. */
    byte[] reencodeSubgroup(IetfVersion v) {
        SubgroupHeader h = (SubgroupHeader) header;
        SubgroupStreamEncoder enc = new SubgroupStreamEncoder(v, h);
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out);
        for (Object e : entries) {
            Obj o = (Obj) e;
            enc.writeObjectHeader(out, o.object(), o.properties() == null ? null : Unpooled.wrappedBuffer(o.properties()),
                    o.payload().length, o.status());
            out.writeBytes(o.payload());
        }
        return ByteBufUtil.getBytes(out);
    }

    /** The decoded fetch stream written again with {@link FetchStreamEncoder}. */
    byte[] reencodeFetch(IetfVersion v, boolean descending) {
        FetchStreamEncoder enc = new FetchStreamEncoder(v, descending);
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out, ((FetchHeader) header).requestId());
        for (Object e : entries) {
            if (e instanceof EndOfRange r) {
                enc.writeEndOfRange(out, r.flags(), r.location());
                continue;
            }
            Obj o = (Obj) e;
            enc.writeObjectHeader(out, o.group(), o.subgroup(), o.object(), o.priority(),
                    o.properties() == null ? null : Unpooled.wrappedBuffer(o.properties()), o.payload().length, o.status());
            out.writeBytes(o.payload());
        }
        return ByteBufUtil.getBytes(out);
    }

    private interface Feeder {
        void feed(ByteBuf chunk);
    }

    private static void feed(byte[] bytes, int at, int chunk, List<ByteBuf> chunks, Feeder to) {
        byte[] part = Arrays.copyOfRange(bytes, at, (int) Math.min(bytes.length, (long) at + chunk));
        ByteBuf c = IetfDecoderFuzzTest.copy(part, 0);
        chunks.add(c.retain());
        to.feed(c);
    }

    /** Copies the object's bytes out and releases its buffers (the chunk counts then show nothing else holds them). */
    private static Obj take(IetfObject o, StringBuilder out) {
        byte[] props = o.properties() == null ? null : ByteBufUtil.getBytes(o.properties());
        byte[] payload = ByteBufUtil.getBytes(o.payload());
        o.release();
        Obj obj = new Obj(o.groupId(), o.subgroupId(), o.objectId(), o.publisherPriority(), o.status(), props, payload);
        out.append("object ").append(Long.toUnsignedString(obj.group())).append('/').append(Long.toUnsignedString(obj.subgroup()))
                .append('/').append(Long.toUnsignedString(obj.object())).append(" prio ").append(obj.priority())
                .append(" status ").append(obj.status()).append(" props ")
                .append(props == null ? "-" : HexFormat.of().formatHex(props)).append(" payload ")
                .append(HexFormat.of().formatHex(payload)).append('\n');
        return obj;
    }

    private static void checkReleased(List<ByteBuf> chunks) {
        for (ByteBuf c : chunks) {
            assertEquals(1, c.refCnt(), "the decoder kept or over-released a chunk after close");
            c.release();
        }
    }
}
