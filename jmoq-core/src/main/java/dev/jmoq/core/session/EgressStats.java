package dev.jmoq.core.session;

import java.util.concurrent.atomic.LongAdder;

/** Relay-wide egress counters, read by metrics. Thread-safe. */
public final class EgressStats {
    public final LongAdder groupsOut = new LongAdder();
    /** Datagrams sent: objects as IETF OBJECT_DATAGRAMs, single-frame groups as moq-lite-05 datagrams. */
    public final LongAdder datagramsOut = new LongAdder();
    /**
     * Datagram groups moved to a stream: an object did not fit the peer's datagram size, or (moq-lite-05)
     * the group was not one frame of at most 1200 bytes.
     */
    public final LongAdder datagramFallbacks = new LongAdder();
    public final LongAdder framesOut = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    /** Group streams reset because the subscriber fell behind (lagging). */
    public final LongAdder groupsResetLagging = new LongAdder();
    /** Groups never started for a subscriber because it was lapped or they were evicted first. */
    public final LongAdder groupsSkipped = new LongAdder();
    /** Groups given up because their stream ended under them (the peer's STOP_SENDING, a stream the transport closed). */
    public final LongAdder groupsStopped = new LongAdder();
    public final LongAdder subscriptionsStalled = new LongAdder();
    /** FETCH requests answered from the cache. */
    public final LongAdder fetchesServed = new LongAdder();
    /** FETCH requests for a group the cache does not hold (answered with a reset). */
    public final LongAdder fetchesNotFound = new LongAdder();
}
