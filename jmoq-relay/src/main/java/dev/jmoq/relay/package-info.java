/**
 * The relay: server lifecycle ({@link dev.jmoq.relay.RelayServer}) and the single-job parts it is built
 * from (session admission and registry, certificate reload, cache sweep, cluster links, shutdown drain),
 * and its configuration values ({@link dev.jmoq.relay.RelayConfig}, {@link dev.jmoq.relay.RelayLimits}).
 * Sub-packages: {@code config} loads the configuration from file, environment and flags; {@code admin} is
 * the health and metrics listener; {@code auth} decides session grants; {@code cluster} links to other
 * relays. Sessions, the model and the transports come from the layers below; this package holds
 * sessions only through the protocol-neutral {@link dev.jmoq.core.session.Session} and ends them with
 * {@link dev.jmoq.core.session.SessionError}s, never with a protocol family's codes.
 */
package dev.jmoq.relay;
