package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.GroupFraming;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamEncoder;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * moq-lite group-stream framing (drafts 01-04): the GROUP data type and header, then a size before each
 * frame. Stateless for these drafts, so one instance serves every group of a session.
 */
public final class LiteFraming implements GroupFraming {
    private final LiteVersion version;
    private final GroupStreamEncoder encoder;

    /** @throws IllegalArgumentException {@code version} frames carry timestamps (draft 05), not served here */
    public LiteFraming(LiteVersion version) {
        if (version.hasFrameTimestamps()) {
            throw new IllegalArgumentException(version + " frames carry timestamps; not served by this framing");
        }
        this.version = version;
        this.encoder = new GroupStreamEncoder(version);
    }

    @Override
    public ByteBuf groupHeader(ByteBufAllocator alloc, long subscription, long sequence) {
        ByteBuf out = alloc.buffer(24);
        encoder.writeStreamHeader(out, new GroupHeader(subscription, sequence));
        return out;
    }

    @Override
    public ByteBuf frameHeader(ByteBufAllocator alloc, int size) {
        ByteBuf out = alloc.buffer(GroupStreamEncoder.MAX_FRAME_HEADER);
        encoder.writeFrameHeader(out, 0, size);
        return out;
    }

    public LiteVersion version() {
        return version;
    }
}
