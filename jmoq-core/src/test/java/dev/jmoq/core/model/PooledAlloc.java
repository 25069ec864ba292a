package dev.jmoq.core.model;

import io.netty.buffer.PooledByteBufAllocator;

/** Pooled allocators for tests: with thread caches on every thread, and without caches (exact arena accounting). */
final class PooledAlloc {
    /** Direct, one arena, caches for all threads: a freed buffer is handed back to the next allocation of its size. */
    static final PooledByteBufAllocator DIRECT = new PooledByteBufAllocator(true, 1, 1, 8192, 9, 256, 64, true);

    private PooledAlloc() {
    }

    /** A fresh direct allocator with no thread caches, so its arena counts every allocation and free. */
    static PooledByteBufAllocator uncached() {
        return new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);
    }

    static long active(PooledByteBufAllocator a) {
        return a.metric().directArenas().getFirst().numActiveAllocations()
                + a.metric().heapArenas().getFirst().numActiveAllocations();
    }
}
