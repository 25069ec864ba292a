package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.ObjectStatus;
import dev.jmoq.core.session.GroupDecoder;
import dev.jmoq.core.session.IncomingGroup;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.IetfObject;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.StreamResetCode;
import dev.jmoq.wire.ietf.SubgroupHeader;
import dev.jmoq.wire.ietf.SubgroupStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;

/**
 * An incoming subgroup stream (every SUBGROUP_HEADER type of the draft) as model frames: the header
 * names the track alias and the group; each object becomes the group's next frame with what it carries
 * besides its payload (draft-ietf-moq-transport-14..20, "Subgroup Header" and the object fields after it):
 * its Object ID (gaps kept), its extension headers / Object Properties byte for byte, and its Object
 * Status (a status-only object, e.g. End of Group, is a frame with an empty payload and that status). When
 * the header's type has the extensions field, the group's first frame carries a non-null extension run
 * (empty when the object has none): that is how egress knows to send the header type with extensions.
 * An End of Track object as the stream's last ends the group with END_OF_TRACK.
 *
 * <p>MODEL SEAM: a group sent as several subgroups keeps only the first stream (the model's group is one
 * stream: a second one is refused as a duplicate), and a stream that does not start at the group's head is
 * not taken ({@link #readHeader}).
 *
 * <p>Malformed input is a session error on every draft ("MUST close the session with a
 * PROTOCOL_VIOLATION"): {@code onFatal} closes the session, then the exception stops this stream. An
 * Object Status above 255 (no draft defines one) is malformed too. Not thread-safe: one per stream.
 * Buffers: as {@link SubgroupStreamDecoder}; the extension headers handed out belong to the caller.
 */
final class IetfGroupDecoder implements GroupDecoder {
    private final SubgroupStreamDecoder decoder;
    private final Consumer<ProtocolException> onFatal;
    private final IetfVersion version;
    private final long cancelled;
    /** The first object, read before the header is reported (it proves the stream has the group's head). */
    private IetfObject held;
    /** The last object returned by {@link #readFrame}: its id, extension headers (until taken) and status. */
    private long objectId;
    private ByteBuf extensions;
    private int status;
    private boolean first = true;

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
     * The header once the stream's first object has arrived too, and only when the stream starts at the
     * group's head: on 18+ the header's FIRST_OBJECT says so (the first object may then have any id), before
     * 18 the first object must be object 0. A stream that joins a group part-way (the publisher answering a
     * Largest Object filter mid-group) is stopped with CANCELLED, since the model's group is whole from its
     * first frame. Not a session error.
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
                if (!version.hasFirstObjectBit() && held.objectId() != 0) {
                    throw new ProtocolException(cancelled, "subgroup stream starts at object " + held.objectId(), false);
                }
            }
            return new IncomingGroup(h.trackAlias(), h.groupId(), h.publisherPriority());
        } catch (ProtocolException e) {
            throw fatal(e);
        }
    }

    @Override
    public ByteBuf readFrame() throws ProtocolException {
        try {
            IetfObject o = next();
            if (o == null) {
                return null;
            }
            dropExtensions();
            if (o.status() < 0 || o.status() > 0xFF) {
                o.release();
                throw new ProtocolException(IetfErrorCode.PROTOCOL_VIOLATION.code(),
                        "object status " + Long.toUnsignedString(o.status()) + " out of range", true);
            }
            objectId = o.objectId();
            status = (int) o.status();
            ByteBuf props = o.properties();
            if (props != null && !props.isReadable()) {
                props.release();
                // The first frame marks a header type with extensions; later empty runs need no slot.
                props = first ? Unpooled.EMPTY_BUFFER : null;
            }
            extensions = props;
            first = false;
            return o.payload();
        } catch (ProtocolException e) {
            throw fatal(e);
        }
    }

    @Override
    public long objectId() {
        return objectId;
    }

    @Override
    public ByteBuf extensionHeaders() {
        ByteBuf e = extensions;
        extensions = null;
        return e;
    }

    @Override
    public int objectStatus() {
        return status;
    }

    @Override
    public int endStatus() {
        return !first && status == ObjectStatus.END_OF_TRACK ? ObjectStatus.END_OF_TRACK : ObjectStatus.END_OF_GROUP;
    }

    private void dropExtensions() {
        if (extensions != null) {
            extensions.release();
            extensions = null;
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
        dropExtensions();
        if (held != null) {
            held.release();
            held = null;
        }
        decoder.close();
    }
}
