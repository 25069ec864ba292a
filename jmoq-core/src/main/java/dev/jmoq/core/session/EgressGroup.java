package dev.jmoq.core.session;

import dev.jmoq.core.model.Group;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * One group a {@link GroupEgress} is sending, and how its new frames leave: on its stream (header, frame
 * headers and frames composed into one write per drain, the FIN on the last data) or, for a datagram group,
 * one datagram per object. The egress decides which groups get streams, their urgency, and which are
 * given up; this writes. Event loop only. Holds one reference to its group until done or dropped.
 */
final class EgressGroup {
    /** Bytes composed into one stream write beyond the stream's credit (the transport queues the rest). */
    static final long BATCH_BYTES = 64 * 1024;
    /** Components of one write: the group header and up to 31 frames with their headers. */
    static final int MAX_COMPONENTS = 64;

    /**
     * Adds frames {@code next..count-1} of {@code g} to {@code out}, each after its header, as retained slices
     * (no copy), until {@code out} holds {@code budget} bytes or {@link #MAX_COMPONENTS} components; counts
     * them in {@code stats}. A frame the protocol cannot say (a status-only object to moq-lite) is skipped.
     * Returns the index of the next frame to compose. Shared by the group streams and {@link FetchServe}.
     */
    static int compose(CompositeByteBuf out, Group g, int next, int count, long budget,
            GroupFraming.FrameHeaders frames, EgressStats stats, ByteBufAllocator alloc) {
        while (next < count && out.readableBytes() < budget && out.numComponents() + 2 <= MAX_COMPONENTS) {
            int index = next++;
            ByteBuf frame = g.frame(index);
            int size = frame.readableBytes();
            ByteBuf frameHeader = frames.frameHeader(alloc, index, size);
            if (frameHeader == null) {
                continue;
            }
            out.addComponent(true, frameHeader);
            out.addComponent(true, frame.retainedSlice());
            stats.framesOut.increment();
            stats.bytesOut.add(size);
        }
        return next;
    }

    /** What a datagram write left. */
    enum Progress {
        /** More objects may come. */
        MORE,
        /** The group ended and every object left: the group's reference is given back. */
        DONE,
        /** An object did not fit a datagram: the rest of the group goes on a stream. */
        TO_STREAM
    }

    final Group group;
    SendStream stream;
    /** The group header, written together with the first frames (one packet, not two); made at the first write. */
    ByteBuf header;
    /** This stream's frame headers (moq-lite-05's carry timestamp deltas against the stream's previous frame). */
    GroupFraming.FrameHeaders frames;
    /** The next frame to write. */
    int next;
    /** The urgency last given to the stream; -1 before. */
    int urgency = -1;
    /** The group's objects go out as datagrams (no stream) until one does not fit: then on a stream. */
    boolean datagrams;

    EgressGroup(Group group) {
        this.group = group;
    }

    /** Whether the stream holds frames it could not take yet (a backlog). */
    boolean backlogged() {
        return stream != null && next < group.frameCount();
    }

    /**
     * Writes what the stream can take; returns true when the group is done and its stream ended. Each call
     * hands the stream one buffer (header, frame headers and frames composed, the FIN on the last one when
     * the group has ended): the QUIC stack turns every write into packets at once, so one write per group
     * and drain is one packet for a small frame instead of three.
     */
    boolean writeFrames(GroupFraming framing, long subscription, ByteBufAllocator alloc, EgressStats stats) {
        Group g = group;
        if (stream.isClosed()) {
            // The peer stopped this group (STOP_SENDING) or the stream died: drop it, keep the rest.
            stats.groupsStopped.increment();
            releaseHeader();
            g.release();
            return true;
        }
        // Read the state before the count: the producer ends a group only after its last frame, so a
        // group seen ended has all its frames counted.
        boolean ended = !g.isOpen();
        int count = g.frameCount();
        boolean finished = false;
        if (frames == null) {
            if (count == 0 && !ended) {
                return false; // nothing to send yet: the header waits for the first frame
            }
            header = framing.groupHeader(alloc, subscription, g);
            frames = framing.frames(g);
        }
        // The header alone is not worth a packet: it waits for the first frame, or for the group's end.
        while ((next < count || (header != null && ended)) && stream.isWritable()) {
            // At least one frame per write; more while they fit the stream's credit (or a 64 KiB batch).
            long budget = Math.max(stream.bytesBeforeUnwritable(), BATCH_BYTES);
            CompositeByteBuf out = alloc.compositeDirectBuffer(MAX_COMPONENTS);
            if (header != null) {
                out.addComponent(true, header);
                header = null;
            }
            next = compose(out, g, next, count, budget, frames, stats, alloc);
            if (next == count && ended && !g.isAborted()) {
                // The FIN rides on the last data: a FIN on its own, after the data was flushed, is
                // sometimes not delivered by the QUIC stack we use (see docs/ARCHITECTURE.md).
                stream.writeAndFinish(out);
                finished = true;
                break;
            }
            stream.write(out);
            stream.flush();
        }
        if (next == count && ended && header == null) {
            if (g.isAborted()) {
                stream.reset(g.abortCode());
            } else if (!finished) {
                stream.finish(); // the group ended after its last frame went out: a FIN of its own
            }
            g.release();
            return true;
        }
        return false;
    }

    /**
     * Sends a datagram group's new objects, one datagram each (END_OF_GROUP on the last when the group has
     * ended by then). An object larger than the peer's datagram size moves the rest of the group, from that
     * object on, to a stream (counted): {@link Progress#TO_STREAM}, and the egress requests one.
     * Datagrams take no stream credit and are never reset for lagging: a slow link loses them in the
     * transport, which is their contract.
     */
    Progress writeDatagrams(MoqConnection connection, GroupFraming framing, long subscription, ByteBufAllocator alloc,
            EgressStats stats) {
        if (framing.datagramCarriesWholeGroup()) {
            return writeWholeGroupDatagram(connection, framing, subscription, alloc, stats);
        }
        Group g = group;
        boolean ended = !g.isOpen();
        int count = g.frameCount();
        int max = connection.maxDatagramSize();
        while (next < count) {
            int index = next;
            ByteBuf d = framing.datagram(alloc, subscription, g, index, ended && index == count - 1 && !g.isAborted());
            if (d == null) {
                next++;
                continue; // an object the protocol cannot say
            }
            if (d.readableBytes() > max) {
                d.release();
                datagrams = false;
                stats.datagramFallbacks.increment();
                return Progress.TO_STREAM;
            }
            next++;
            int size = g.frame(index).readableBytes();
            if (connection.sendDatagram(d)) {
                stats.datagramsOut.increment();
                stats.framesOut.increment();
                stats.bytesOut.add(size);
            }
        }
        if (ended) {
            g.release();
            return Progress.DONE;
        }
        return Progress.MORE;
    }

    /**
     * moq-lite-05: a datagram group that ends with exactly one frame leaves as one datagram
     * ({@link GroupFraming#datagramCarriesWholeGroup}); while it is open with at most one frame it waits, and
     * a group with more frames, none, an abort, or a frame too large for the datagram goes on a stream from
     * its first frame ({@link Progress#TO_STREAM}, counted). A datagram the transport does not take is lost.
     */
    private Progress writeWholeGroupDatagram(MoqConnection connection, GroupFraming framing, long subscription,
            ByteBufAllocator alloc, EgressStats stats) {
        Group g = group;
        int count = g.frameCount();
        if (g.isOpen() && count <= 1) {
            return Progress.MORE;
        }
        ByteBuf d = count == 1 && !g.isAborted() ? framing.datagram(alloc, subscription, g, 0, true) : null;
        if (d == null || d.readableBytes() > connection.maxDatagramSize()) {
            if (d != null) {
                d.release();
            }
            datagrams = false;
            stats.datagramFallbacks.increment();
            return Progress.TO_STREAM;
        }
        next = 1;
        int size = g.frame(0).readableBytes();
        if (connection.sendDatagram(d)) {
            stats.datagramsOut.increment();
            stats.framesOut.increment();
            stats.bytesOut.add(size);
        }
        g.release();
        return Progress.DONE;
    }

    /** Gives back the unsent group header, if any. */
    void releaseHeader() {
        if (header != null) {
            header.release();
            header = null;
        }
    }
}
