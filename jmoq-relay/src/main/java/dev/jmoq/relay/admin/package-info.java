/**
 * The admin HTTP listener ({@link dev.jmoq.relay.admin.AdminServer}: health, readiness, Prometheus metrics,
 * announced broadcasts), the relay's metrics ({@link dev.jmoq.relay.admin.RelayMetrics}) and the readiness
 * registry other components feed ({@link dev.jmoq.relay.admin.Readiness}). Reads the core's stats and
 * origin; never changes them, and never runs on a media event loop.
 */
package dev.jmoq.relay.admin;
