package dev.jmoq.wire.ietf;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * One object from a subgroup stream, fetch stream or datagram. {@code publisherPriority} is -1 when
 * inherited from the subscription; {@code properties} (Extension Headers / Object Properties) is null
 * when the stream or datagram type has no properties field, otherwise the raw bytes after the length
 * (possibly empty), passed through unparsed; {@code status} is an {@link ObjectStatus}, meaningful when
 * the payload is empty.
 *
 * <p>Ownership: {@code properties} and {@code payload} are retained buffers that belong to whoever
 * holds the object; {@link #release} frees both.
 */
public record IetfObject(long groupId, long subgroupId, long objectId, int publisherPriority, long status,
        ByteBuf properties, ByteBuf payload) implements FetchEntry {
    public IetfObject {
        Objects.requireNonNull(payload, "payload");
    }

    public Location location() {
        return new Location(groupId, objectId);
    }

    /** Releases the payload and the properties. */
    public void release() {
        payload.release();
        if (properties != null) {
            properties.release();
        }
    }
}
