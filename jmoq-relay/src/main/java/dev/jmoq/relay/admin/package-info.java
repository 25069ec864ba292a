/**
 * The admin HTTP listener ({@link dev.jmoq.relay.admin.AdminServer}: health, readiness, Prometheus metrics,
 * announced broadcasts, the dashboard), the relay's metrics ({@link dev.jmoq.relay.admin.RelayMetrics}), the
 * readiness registry other components feed ({@link dev.jmoq.relay.admin.Readiness}), and the live dashboard's
 * data ({@link dev.jmoq.relay.admin.Dashboard}: rates over the last minutes, the state JSON, server-sent
 * events, recent errors). Reads the core's stats and origin; never changes them, and never runs on a media
 * event loop.
 */
package dev.jmoq.relay.admin;
