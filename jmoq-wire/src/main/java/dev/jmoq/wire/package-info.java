/**
 * The wire layer: bytes to MoQ messages and back. Pure: no I/O, no threads, no model. Every length and
 * count is bounded before anything is allocated; malformed input raises a
 * {@link dev.jmoq.wire.ProtocolException} carrying the protocol's error code.
 */
package dev.jmoq.wire;
