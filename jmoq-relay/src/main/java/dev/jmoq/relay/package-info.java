/**
 * The relay: server lifecycle ({@link dev.jmoq.relay.RelayServer}), its configuration values
 * ({@link dev.jmoq.relay.RelayConfig}, {@link dev.jmoq.relay.RelayLimits}), and the periodic cache sweep.
 * Sub-packages: {@code config} loads the configuration from file, environment and flags; {@code admin} is
 * the health and metrics listener; {@code auth} decides session grants. Sessions, the model and the
 * transports come from the layers below; this package wires them together and owns nothing of their
 * internals.
 */
package dev.jmoq.relay;
