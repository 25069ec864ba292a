package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.ZigZag;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamEncoder;
import dev.jmoq.wire.lite.LiteDataType;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * moq-lite group-stream framing (drafts 01-05): the GROUP data type and header, then before each frame
 * its size, and on draft 05 first the zigzag delta of its timestamp against the previous frame of the
 * group (the first against 0; draft-lcurley-moq-lite-05, FRAME). A frame without a timestamp (received on
 * an older draft) is sent as timestamp 0. moq-lite cannot say object ids, extension headers or object
 * status: they stay in the model for the protocols that can. Stateless: the delta is computed from the
 * group, so one instance serves every group (and every FETCH response) of a session.
 */
final class LiteFraming implements GroupFraming {
    private final LiteVersion version;

    LiteFraming(LiteVersion version) {
        this.version = version;
    }

    @Override
    public ByteBuf groupHeader(ByteBufAllocator alloc, long subscription, long sequence) {
        ByteBuf out = alloc.buffer(24);
        LiteDataType.GROUP.write(out);
        new GroupHeader(subscription, sequence).encode(out, version);
        return out;
    }

    @Override
    public void frameHeader(CompositeByteBuf out, ByteBufAllocator alloc, Group group, int index) {
        ByteBuf h = alloc.buffer(GroupStreamEncoder.MAX_FRAME_HEADER);
        if (version.hasFrameTimestamps()) {
            long previous = index == 0 ? 0 : timestampOf(group, index - 1);
            VarInt.write(h, ZigZag.encode(timestampOf(group, index) - previous));
        }
        VarInt.write(h, group.frame(index).readableBytes());
        out.addComponent(true, h);
    }

    private static long timestampOf(Group group, int index) {
        long t = group.timestamp(index);
        return t == Group.NO_TIMESTAMP ? 0 : t;
    }

    LiteVersion version() {
        return version;
    }
}
