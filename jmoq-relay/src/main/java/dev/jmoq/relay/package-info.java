/**
 * The relay: server lifecycle ({@link dev.jmoq.relay.RelayServer}), its configuration
 * ({@link dev.jmoq.relay.RelayConfig}), and the periodic cache sweep. Sessions, the model and the
 * transports come from the layers below; this package wires them together and owns nothing of their
 * internals.
 */
package dev.jmoq.relay;
