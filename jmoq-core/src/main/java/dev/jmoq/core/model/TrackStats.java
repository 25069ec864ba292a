package dev.jmoq.core.model;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one track, read by metrics. Thread-safe (striped adders; the hot path never contends). */
public final class TrackStats {
    public final LongAdder groupsIn = new LongAdder();
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder groupsRefused = new LongAdder();
    public final LongAdder groupsEvicted = new LongAdder();
    public final LongAdder groupsEvictedForBudget = new LongAdder();
}
