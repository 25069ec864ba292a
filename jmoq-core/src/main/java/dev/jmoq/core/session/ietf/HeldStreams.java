package dev.jmoq.core.session.ietf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Subgroup streams held until a SUBSCRIBE_OK names their Track Alias: the drafts let a publisher's data
 * streams arrive before its answer, which travels on another stream. At most {@value #MAX} at once (each
 * buffers at most the largest frame, see {@link UniStreams}); a stream beyond that is routed at once.
 *
 * <p>Threading: the session's event loop.
 */
final class HeldStreams {
    static final int MAX = 64;

    private final Map<Long, List<Runnable>> byAlias = new HashMap<>();
    private int count;

    boolean hasRoom() {
        return count < MAX;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Holds a stream for {@code alias}; {@code resume} runs when it is released. */
    void hold(long alias, Runnable resume) {
        byAlias.computeIfAbsent(alias, a -> new ArrayList<>()).add(resume);
        count++;
    }

    /** The alias is known: its held streams go on. */
    void release(long alias) {
        List<Runnable> waiting = byAlias.remove(alias);
        if (waiting != null) {
            count -= waiting.size();
            waiting.forEach(Runnable::run);
        }
    }

    /** No answer can name the held aliases any more: every held stream goes on (to be stopped if unknown). */
    void releaseAll() {
        for (Long alias : List.copyOf(byAlias.keySet())) {
            release(alias);
        }
    }
}
