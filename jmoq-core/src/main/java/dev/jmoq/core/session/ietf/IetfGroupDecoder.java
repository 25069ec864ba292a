package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.GroupDecoder;
import dev.jmoq.core.session.IncomingGroup;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfObject;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.SubgroupHeader;
import dev.jmoq.wire.ietf.SubgroupStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * An incoming subgroup stream (every SUBGROUP_HEADER type of the draft) as model frames: the header
 * names the track alias and the group; each object with a payload, or a Normal object with an empty
 * one, becomes the group's next frame.
 *
 * <p>MODEL SEAM (until the model carries object ids, extension headers and status): object ids are
 * not kept (the frames are renumbered 0..n-1), objects' extension headers are dropped and status-only
 * objects (End of Group, Does Not Exist, End of Track) are not stored; a group sent as several subgroups
 * keeps only the first stream (the model's group is one stream: a second one is refused as a duplicate).
 *
 * <p>Malformed input is a session error on every draft ("MUST close the session with a
 * PROTOCOL_VIOLATION"): {@code onFatal} closes the session, then the exception stops this stream.
 * Not thread-safe: one per stream. Buffers: as {@link SubgroupStreamDecoder}.
 */
final class IetfGroupDecoder implements GroupDecoder {
    private final SubgroupStreamDecoder decoder;
    private final Consumer<ProtocolException> onFatal;

    IetfGroupDecoder(IetfVersion version, int maxObjectSize, Consumer<ProtocolException> onFatal) {
        this.decoder = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, version, maxObjectSize);
        this.onFatal = onFatal;
    }

    @Override
    public void feed(ByteBuf chunk) {
        decoder.feed(chunk);
    }

    @Override
    public IncomingGroup readHeader() throws ProtocolException {
        try {
            SubgroupHeader h = decoder.readHeader();
            return h == null ? null : new IncomingGroup(h.trackAlias(), h.groupId());
        } catch (ProtocolException e) {
            throw fatal(e);
        }
    }

    @Override
    public ByteBuf readFrame() throws ProtocolException {
        try {
            IetfObject o;
            while ((o = decoder.readObject()) != null) {
                if (o.properties() != null) {
                    o.properties().release();
                }
                if (o.payload().isReadable() || o.status() == ObjectStatus.NORMAL) {
                    return o.payload();
                }
                o.payload().release(); // a status-only object
            }
            return null;
        } catch (ProtocolException e) {
            throw fatal(e);
        }
    }

    @Override
    public void finish() throws ProtocolException {
        try {
            decoder.finish();
        } catch (ProtocolException e) {
            throw fatal(e);
        }
    }

    private ProtocolException fatal(ProtocolException e) {
        if (e.sessionFatal()) {
            onFatal.accept(e);
        }
        return e;
    }

    @Override
    public void close() {
        decoder.close();
    }
}
