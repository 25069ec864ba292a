/**
 * Relay configuration loading: the option list ({@link dev.jmoq.relay.config.Options}), TOML file, environment
 * variable and flag layers with provenance ({@link dev.jmoq.relay.config.ConfigLoader}), value types with
 * their validation, and {@code --print-config} output. Produces a {@link dev.jmoq.relay.RelayConfig}; runs
 * nothing and owns no server state.
 */
package dev.jmoq.relay.config;
