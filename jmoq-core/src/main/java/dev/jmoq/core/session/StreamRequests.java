package dev.jmoq.core.session;

import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * The unidirectional streams one egress asks its connection for. Never more requests than groups wait
 * for a stream; requests no longer needed are withdrawn (cancelled) while the transport still queues them,
 * newest first, so they cost the peer no stream credit; a stream that opens goes to whichever group the
 * owner says (the newest waiting), and one that opens when none waits is kept as a spare for the next.
 *
 * <p>Threading: the connection's event loop, like its owner. Not thread-safe.
 */
final class StreamRequests {
    /** What the requests serve. */
    interface Owner {
        /** Gives {@code stream} to a waiting group; false when none waits. */
        boolean assign(SendStream stream);

        /** The transport could not open a stream (the connection is going away). */
        void openFailed();

        /** A request completed outside the owner's drain: run it again. */
        void wake();
    }

    private final MoqConnection connection;
    private final Owner owner;
    /** Requests the transport has not answered, oldest first. */
    private final ArrayDeque<Future<SendStream>> pending = new ArrayDeque<>();
    private SendStream spare;
    private boolean closed;

    StreamRequests(MoqConnection connection, Owner owner) {
        this.connection = connection;
        this.owner = owner;
    }

    /** Serves the waiting groups: the spare first, then requests up to {@code waiting}, withdrawing any beyond. */
    void request(IntSupplier waiting) {
        if (spare != null && waiting.getAsInt() > 0) {
            SendStream s = spare;
            spare = null;
            owner.assign(s);
        }
        while (!closed && pending.size() < waiting.getAsInt()) {
            Future<SendStream> f = connection.openUni();
            pending.addLast(f);
            if (f.isDone()) {
                opened(f);
            } else {
                f.addListener(done -> {
                    opened(f);
                    owner.wake();
                });
            }
        }
        withdraw(waiting.getAsInt());
    }

    /** Withdraws the newest requests the transport still queues, down to {@code keep}. */
    void withdraw(int keep) {
        while (pending.size() > keep) {
            // Out of the queue before cancelling: cancelling runs the listener, which must not find it.
            Future<SendStream> f = pending.pollLast();
            if (!f.cancel(false)) {
                pending.addLast(f); // it opened meanwhile: its listener gives it a group or makes it the spare
                break;
            }
        }
    }

    /** Requests still unanswered. */
    int pending() {
        return pending.size();
    }

    /** Withdraws every request and resets the spare with {@code code}. Idempotent. */
    void close(long code) {
        closed = true;
        withdraw(0);
        if (spare != null) {
            spare.reset(code);
            spare = null;
        }
    }

    private void opened(Future<SendStream> f) {
        if (!pending.remove(f) || f.isCancelled()) {
            return;
        }
        if (!f.isSuccess()) {
            owner.openFailed();
            return;
        }
        SendStream stream = f.getNow();
        if (closed) {
            stream.reset(0);
        } else if (!owner.assign(stream)) {
            if (spare == null) {
                spare = stream;
            } else {
                stream.reset(0);
            }
        }
    }
}
