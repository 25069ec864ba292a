package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.GroupDecoder;
import dev.jmoq.core.session.IncomingGroup;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfObject;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.ObjectStatus;
import dev.jmoq.wire.ietf.StreamResetCode;
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
 * keeps only the first stream (the model's group is one stream: a second one is refused as a duplicate),
 * and a stream that does not start at the group's object 0 is not taken ({@link #readHeader}).
 *
 * <p>Malformed input is a session error on every draft ("MUST close the session with a
 * PROTOCOL_VIOLATION"): {@code onFatal} closes the session, then the exception stops this stream.
 * Not thread-safe: one per stream. Buffers: as {@link SubgroupStreamDecoder}.
 */
final class IetfGroupDecoder implements GroupDecoder {
    private final SubgroupStreamDecoder decoder;
    private final Consumer<ProtocolException> onFatal;
    private final IetfVersion version;
    private final long cancelled;
    /** The first object, read before the header is reported (it proves the stream has the group's head). */
    private IetfObject held;

    IetfGroupDecoder(IetfVersion version, int maxObjectSize, Consumer<ProtocolException> onFatal) {
        this.decoder = new SubgroupStreamDecoder(ByteBufAllocator.DEFAULT, version, maxObjectSize);
        this.onFatal = onFatal;
        this.version = version;
        this.cancelled = StreamResetCode.CANCELLED.code(version);
    }

    @Override
    public void feed(ByteBuf chunk) {
        decoder.feed(chunk);
    }

    /**
     * The header once the stream's first object has arrived too, and only when that object is the
     * group's object 0 (and, on 18+, FIRST_OBJECT is set): a stream that joins a group part-way (the
     * publisher answering a Largest Object filter mid-group) is stopped with CANCELLED, since the model's
     * group is whole from its first frame. Not a session error.
     */
    @Override
    public IncomingGroup readHeader() throws ProtocolException {
        try {
            SubgroupHeader h = decoder.readHeader();
            if (h == null) {
                return null;
            }
            if (version.hasFirstObjectBit() && !h.firstObject()) {
                throw new ProtocolException(cancelled, "subgroup stream without the group's first object", false);
            }
            if (held == null) {
                held = decoder.readObject();
                if (held == null) {
                    return null;
                }
                if (held.objectId() != 0) {
                    throw new ProtocolException(cancelled, "subgroup stream starts at object " + held.objectId(), false);
                }
            }
            return new IncomingGroup(h.trackAlias(), h.groupId());
        } catch (ProtocolException e) {
            throw fatal(e);
        }
    }

    @Override
    public ByteBuf readFrame() throws ProtocolException {
        try {
            IetfObject o;
            while ((o = next()) != null) {
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

    private IetfObject next() throws ProtocolException {
        IetfObject o = held;
        if (o != null) {
            held = null;
            return o;
        }
        return decoder.readObject();
    }

    private ProtocolException fatal(ProtocolException e) {
        if (e.sessionFatal()) {
            onFatal.accept(e);
        }
        return e;
    }

    @Override
    public void close() {
        if (held != null) {
            held.release();
            held = null;
        }
        decoder.close();
    }
}
