package dev.jmoq.transport.websocket;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which stream of a qmux connection sends next and wakes writers when room returns. Streams with
 * data (or a FIN) queued wait in one ready queue per urgency (0 most urgent, 7 least); the pump takes the
 * most urgent queue first and round-robins within it, one STREAM frame per turn, while the socket is
 * writable and connection credit lasts. Streams whose writer found them unwritable are woken once they are
 * writable again.
 *
 * A stream whose urgency changes while it waits moves to its new urgency's queue ({@link #requeue}).
 *
 * <p>A new ordering rule (say, newest group first within an urgency) belongs in {@link #next} alone.
 *
 * <p>Concurrency: confined to the connection's event loop.
 */
final class SendScheduler {
    private static final int URGENCIES = 8;

    private final Channel channel;
    private final QmuxConnection conn;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<QmuxStream>[] ready = new ArrayDeque[URGENCIES];
    private final Set<QmuxStream> writeWaiters = new LinkedHashSet<>();
    private boolean pumping;

    SendScheduler(Channel channel, QmuxConnection conn) {
        this.channel = channel;
        this.conn = conn;
        for (int i = 0; i < ready.length; i++) {
            ready[i] = new ArrayDeque<>();
        }
    }

    /** Queues {@code s} for sending at its urgency (once). */
    void markReady(QmuxStream s) {
        if (!s.inReadyQueue && !conn.isClosed()) {
            s.inReadyQueue = true;
            ready[s.urgency()].addLast(s);
        }
    }

    /**
     * {@code s}'s urgency changed from {@code previous} while it waited in a ready queue: it moves to the
     * back of its new urgency's queue, so data already queued goes out at the stream's new priority.
     */
    void requeue(QmuxStream s, int previous) {
        if (s.inReadyQueue && ready[previous].remove(s)) {
            ready[s.urgency()].addLast(s);
        }
    }

    /** {@code s}'s writer wants to hear when the stream is writable again. */
    void waitWritable(QmuxStream s) {
        writeWaiters.add(s);
    }

    /** {@code s} is done: never wake it again. */
    void forget(QmuxStream s) {
        writeWaiters.remove(s);
    }

    /** Drops every queued stream (the connection closed). */
    void clear() {
        for (ArrayDeque<QmuxStream> q : ready) {
            q.clear();
        }
        writeWaiters.clear();
    }

    /** Sends queued stream data while the socket and the connection credit allow, then wakes writers. */
    void pump() {
        if (pumping || conn.isClosed()) {
            return;
        }
        pumping = true;
        boolean wrote = false;
        try {
            while (channel.isWritable()) {
                QmuxStream s = next();
                if (s == null) {
                    break;
                }
                QmuxStream.SendResult r = s.sendOne();
                if (r == QmuxStream.SendResult.CONNECTION_BLOCKED) {
                    ready[s.urgency()].addFirst(s);
                    break;
                }
                wrote = true;
                if (r == QmuxStream.SendResult.MORE) {
                    ready[s.urgency()].addLast(s);
                } else {
                    s.inReadyQueue = false;
                }
            }
        } finally {
            pumping = false;
        }
        if (wrote) {
            channel.flush();
        }
        notifyWritable();
    }

    /** The next stream to send one frame: the head of the most urgent non-empty queue. */
    private QmuxStream next() {
        for (ArrayDeque<QmuxStream> q : ready) {
            QmuxStream s = q.poll();
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private void notifyWritable() {
        if (writeWaiters.isEmpty() || conn.isClosed()) {
            return;
        }
        List<QmuxStream> now = new ArrayList<>();
        for (QmuxStream s : writeWaiters) {
            if (s.isWritable()) {
                now.add(s);
            }
        }
        for (QmuxStream s : now) {
            writeWaiters.remove(s);
            s.fireWritable();
        }
    }
}
