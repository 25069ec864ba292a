/**
 * JMH benchmarks of the data path: the track distributor's wake fan-out, the frame pool (Netty's pooled
 * allocator against unpooled allocation) and the group cache.
 *
 * <p>Owns: benchmark harness code only (and an allocation-free executor used to measure the distributor
 * without an executor's queue allocating). Must not touch: production behaviour; it only calls public APIs.
 */
package dev.jmoq.bench;
